import { escapeHtml } from './escape-html.ts';

/** What a failure page shows. Values are untrusted (they come from the query string). */
export interface FailureDetails {
  error: string;
  errorDescription?: string | undefined;
}

/** Longest server-supplied text shown on a page; the rest is cut. */
const MAX_SHOWN_LENGTH = 500;

const clip = (text: string) =>
  text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH)}…` : text;

const layout = (title: string, body: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
h1 { font-size: 1.4rem; }
code { background: #f3f3f3; padding: 0 .25rem; border-radius: .2rem; word-break: break-all; }
</style>
</head>
<body>
${body}
</body>
</html>
`;

export function renderSuccessPage(custom?: string): string {
  if (custom !== undefined) return custom;
  return layout(
    'Signed in',
    '<h1>Signed in</h1>\n<p>Authorization is complete. You may close this tab and return to the application.</p>',
  );
}

/**
 * Renders the failure page. A custom page may contain `{{error}}` and
 * `{{error_description}}`; both are replaced by HTML-escaped text, never raw input.
 */
export function renderFailurePage(details: FailureDetails, custom?: string): string {
  const error = escapeHtml(clip(details.error));
  const description = escapeHtml(clip(details.errorDescription ?? ''));
  if (custom !== undefined) {
    return custom
      .replaceAll('{{error}}', () => error)
      .replaceAll('{{error_description}}', () => description);
  }
  const descriptionHtml = description ? `\n<p>${description}</p>` : '';
  return layout(
    'Sign-in failed',
    `<h1>Sign-in failed</h1>\n<p>The authorization server answered: <code>${error}</code></p>${descriptionHtml}\n<p>Return to the application for details. You may close this tab.</p>`,
  );
}

export const NOT_FOUND_BODY = 'Not found\n';
