import type { McpOAuthEvent } from '../events/types.ts';
import { diagnosticsChannel } from './diagnostics-channel.ts';

/**
 * Publishes an event on the diagnostics channel `mcp-oauth:<type>` (`mcp-oauth:refreshed`,
 * `mcp-oauth:refresh_failed`, `mcp-oauth:step_up`, ...) when someone subscribes to it. The
 * device prompt (`device_code`) is for the person at hand, not for telemetry: it carries the
 * user code and is not published.
 */
export function publishEvent(event: McpOAuthEvent): void {
  const channel = diagnosticsChannel()?.channel(`mcp-oauth:${event.type}`);
  if (channel?.hasSubscribers && event.type !== 'device_code') channel.publish(event);
}
