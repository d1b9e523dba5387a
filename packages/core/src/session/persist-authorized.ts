import { reportAuthorized } from '../flow/save-authorized.ts';
import type { AuthorizedState } from '../flow/states.ts';
import type { TokensRecord } from '../store/records.ts';
import { saveTokens } from './save-tokens.ts';
import type { ServerSession } from './session.ts';

/** The end of every authorization (the flow, `completeAuthorization`): tokens stored, then reported. */
export async function persistAuthorized(
  session: ServerSession,
  state: AuthorizedState,
): Promise<TokensRecord> {
  await saveTokens(session, state.tokens);
  reportAuthorized(session.ctx, state);
  return state.tokens;
}
