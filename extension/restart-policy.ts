// What the client does when the server process dies: restart it and say so, up to a limit; past
// the limit stop and say how to get it back.
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, type ErrorHandler } from 'vscode-languageclient/node.js';

const maxRestarts = 5;
const windowMs = 3 * 60 * 1000;

export function restartingErrorHandler(log: (line: string) => void): ErrorHandler {
  const restarts: number[] = [];
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      const now = Date.now();
      while (restarts.length && now - restarts[0]! > windowMs) restarts.shift();
      if (restarts.length >= maxRestarts) {
        return { action: CloseAction.DoNotRestart, message: `NN Lens: the language server crashed ${maxRestarts + 1} times in 3 minutes and will not be restarted. See NN Lens: Show Log; reload the window to try again.` };
      }
      restarts.push(now);
      const message = `NN Lens: the language server stopped unexpectedly and is being restarted (${restarts.length} of ${maxRestarts}).`;
      log(message);
      void vscode.window.showWarningMessage(message, 'Show Log').then((choice) => {
        if (choice) void vscode.commands.executeCommand('nnLens.showLog');
      });
      return { action: CloseAction.Restart, handled: true };
    },
  };
}
