import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';

/** How the headless "person" answers oidc-provider's login and consent prompts. */
export interface InteractionPolicy {
  /** The account every login signs in as, unless the request carries a `login_hint`. */
  accountId: string;
  /** Finish consent with `access_denied` instead of approving it. */
  denyConsent: boolean;
}

interface ConsentDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

/**
 * Answers `GET /interaction/:uid` without a page: login as the account named by `login_hint`,
 * else the fixed account, then consent to everything that was asked (OIDC scopes, claims, and
 * the scopes of each requested resource), or deny consent. oidc-provider then redirects back
 * to its resume endpoint.
 */
export function headlessInteraction(provider: Provider, policy: InteractionPolicy) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params, grantId, session } = details;

    if (prompt.name === 'login') {
      // a `login_hint` (OpenID Connect Core §3.1.2.1) names the account, as a login page
      // prefilled with it would: several users of one client (a web gateway) get their own `sub`
      const hint = typeof params.login_hint === 'string' ? params.login_hint.trim() : '';
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: hint || policy.accountId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }

    if (prompt.name !== 'consent') {
      res.statusCode = 501;
      res.end(`prompt ${prompt.name} is not handled by the test server`);
      return;
    }

    if (policy.denyConsent) {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'consent denied by the test server' },
        { mergeWithLastSubmission: false },
      );
      return;
    }

    const missing = prompt.details as ConsentDetails;
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({
          accountId: session?.accountId ?? policy.accountId,
          clientId: String(params.client_id),
        });
    if (!grant) throw new Error(`grant ${grantId} not found`);
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const savedGrantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId: savedGrantId } },
      { mergeWithLastSubmission: true },
    );
  };
}
