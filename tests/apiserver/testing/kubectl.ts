// Runs a real kubectl binary against an emulator: its own HOME and discovery cache in `home`,
// stdin piped only when given, so the tests see what a user's shell would.
export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runKubectl(
  kubectl: string,
  kubeconfig: string,
  home: string,
  args: string[],
  stdin?: string,
): Promise<KubectlRun> {
  const child = new Deno.Command(kubectl, {
    args: [`--kubeconfig=${kubeconfig}`, `--cache-dir=${home}/cache`, ...args],
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { HOME: home },
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}
