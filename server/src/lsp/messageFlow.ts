// When the connection has handled the messages it already read: validation starts then, not before.
//
// An editor sends an edit and the completion request for it in the same instant, and the library
// handles one message per event-loop turn. A validation started from the edit's handler after a
// 0 ms timer often began before the completion behind it was answered, and on two cores the worker's
// first milliseconds (and V8's background thread, which serves both) took the CPU from that answer:
// its p95 was 4.6-6.0 ms on the 5000-service findings file, against 2.6 ms with validation held back
// (issue 12, bench). The library offers no view of its queue; its message strategy sees each
// message as it is handled, which is enough: once a millisecond passes with no request handled,
// what came in with the edit has been answered. (Diagnostics pulls are not counted: they wait for
// the validation, and counting them held every edit's validation back by another millisecond.)
import type { Message, MessageStrategy } from 'vscode-languageserver/node';

/** Looks to take at most (1 ms apart): a client that never stops sending must not hold validation back. */
const MAX_LOOKS = 32;

/**
 * A request the editor waits for (completion, hover, code actions...). Not a diagnostics pull,
 * which waits for the validation itself, nor a notification: an edit schedules its own validation,
 * and a cancellation or the client's answer to one of ours asks for nothing.
 */
function wantsAnAnswerSoon(message: Message): boolean {
  const { id, method } = message as { id?: unknown; method?: unknown };
  return id !== undefined && typeof method === 'string' && method !== 'textDocument/diagnostic' && method !== 'workspace/diagnostic';
}

export class MessageFlow {
  private handled = 0;

  /** For the connection's options: counts the requests it handles that the editor waits for. */
  readonly strategy: MessageStrategy = {
    handleMessage: (message: Message, next: (message: Message) => void) => {
      if (wantsAnAnswerSoon(message)) this.handled++;
      next(message);
    },
  };

  /**
   * Calls `run` once a millisecond passes in which the connection handled no request the editor
   * waits for (what it had read is answered, and nothing more came in with the edit), or after
   * MAX_LOOKS milliseconds. With no such request in flight (an edit and its diagnostics pull) that
   * is the 1 ms a `setTimeout(run, 0)` took before.
   */
  whenHandled(run: () => void): void {
    let seen = this.handled;
    let looks = 0;
    const look = () => {
      if (this.handled !== seen && ++looks < MAX_LOOKS) {
        seen = this.handled;
        setTimeout(look, 1);
        return;
      }
      run();
    };
    setTimeout(look, 1);
  }
}
