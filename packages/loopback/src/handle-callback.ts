import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeReceiver } from './close-receiver.ts';
import { NOT_FOUND_BODY, renderFailurePage, renderSuccessPage } from './pages.ts';
import type { ReceiverState } from './receiver.ts';
import { sameState } from './same-state.ts';
import { sendResponse } from './send-response.ts';

/**
 * Answers one request to the receiver. Only a GET of the callback path, naming the receiver's
 * own host, whose `state` is the awaited one, ends the wait: it gets the success page (or the
 * failure page of the error it carries) and its URL settles `waitForCallback`. Any other
 * request gets an error and the wait goes on. The receiver never redirects.
 */
export async function handleCallback(
  receiver: ReceiverState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { origin, expectedHost, path, settings } = receiver;
  let url: URL;
  try {
    url = new URL(req.url ?? '/', origin);
  } catch {
    await sendResponse(res, 400, 'Bad request\n', false);
    return;
  }
  // A request naming another host (DNS rebinding, a stray proxy) is not the redirect.
  if (req.headers.host !== undefined && req.headers.host !== expectedHost) {
    await sendResponse(res, 400, 'Bad request\n', false);
    return;
  }
  if (url.pathname !== path) {
    await sendResponse(res, 404, NOT_FOUND_BODY, false);
    return;
  }
  // Only a GET is the browser following the redirect (a HEAD could be a link prefetcher).
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    await sendResponse(res, 405, 'Method not allowed\n', false);
    return;
  }
  const state = url.searchParams.get('state');
  const current = receiver.waiting;
  if (
    receiver.finished ||
    current === undefined ||
    state === null ||
    !sameState(state, current.expectedState)
  ) {
    // Not the response to the request in progress: answer it, say so, keep waiting.
    if (!receiver.finished) current?.reject(state === null ? 'state_missing' : 'state_mismatch');
    await sendResponse(
      res,
      400,
      renderFailurePage(
        {
          error: 'state_mismatch',
          errorDescription: receiver.finished
            ? 'This sign-in has already completed.'
            : 'This response does not belong to the sign-in in progress. Return to the application and start again if needed.',
        },
        settings.failurePage,
      ),
      true,
    );
    return;
  }
  // The one matching callback: stop accepting others before answering it.
  receiver.waiting = undefined;
  receiver.finished = true;
  const callbackUrl = `${origin}${url.pathname}${url.search}`;
  const error = url.searchParams.get('error');
  const code = url.searchParams.get('code');
  let status = 200;
  let page: string;
  const iss = url.searchParams.get('iss');
  const issuerUnverified =
    current.expectedIssuer !== undefined &&
    (iss === null ? current.issuerRequired : iss !== current.expectedIssuer);
  if (error !== null && issuerUnverified) {
    status = 400;
    page = renderFailurePage(
      {
        error: 'iss_mismatch',
        errorDescription:
          'The response does not come from the expected authorization server; it was ignored. Return to the application.',
      },
      settings.failurePage,
    );
  } else if (error !== null) {
    status = 400;
    page = renderFailurePage(
      { error, errorDescription: url.searchParams.get('error_description') ?? undefined },
      settings.failurePage,
    );
  } else if (code === null || code === '') {
    status = 400;
    page = renderFailurePage(
      {
        error: 'invalid_response',
        errorDescription: 'The response carried no authorization code.',
      },
      settings.failurePage,
    );
  } else {
    page = renderSuccessPage(settings.successPage);
  }
  await sendResponse(res, status, page, true, true);
  await closeReceiver(receiver);
  current.settle(callbackUrl);
}
