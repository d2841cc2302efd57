// The entry @vscode/test-electron's extensionTestsPath names (run() is called inside the extension
// host): a mocha run of the *.suite.ts files next to it. test/extension-host/run.ts bundles this file
// with the suites and mocha into one CommonJS file (`vscode` stays external: the host provides it).
import Mocha from 'mocha';

export async function run(): Promise<void> {
  // NNLENS_EH_GREP=hover runs only the tests whose full title matches (each test stands alone).
  const grep = process.env.NNLENS_EH_GREP;
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 120_000, ...(grep && { grep }) });
  // The suites call describe/it imported from mocha, which forward to the context of the last
  // 'pre-require': announce one, then load the suites (dynamic imports: evaluated only now).
  mocha.suite.emit('pre-require', {}, 'test/extension-host/suite', mocha);
  await import('./commands.suite.ts');
  await import('./hover.suite.ts');
  await import('./code-lens.suite.ts');
  await import('./diagnostics.suite.ts');
  await import('./edits.suite.ts');
  await import('./settings.suite.ts');
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension host test(s) failed`);
}
