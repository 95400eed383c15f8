// Where the browser reaches a loopback test server (the test SP, the test IdP) on this machine.
import * as vscode from 'vscode';

/**
 * In a remote or browser-served workbench 127.0.0.1 is the remote machine, and VS Code's port
 * forwarding gives the address to use (a forwarding proxy may add a path, such as /proxy/PORT/;
 * everything is served below it).
 */
export async function forwardedBase(port: number): Promise<string> {
  const external = await vscode.env.asExternalUri(vscode.Uri.parse(`http://localhost:${port}`));
  return external.toString(true).replace(/\/$/, '');
}
