// The end-to-end tests install the same .vsix that `npm run package` builds.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function packageExtension(root: string, workDir: string): Promise<string> {
  const { packageExtension: build } = await import(pathToFileURL(path.join(root, 'scripts/package-extension.mjs')).href);
  return build(workDir, workDir);
}
