// Installs what the test suite needs on a fresh machine: Debian packages (as root) and the
// per-part setup scripts in this folder (`*.sh`, idempotent, run in name order).

async function run(cmd: string, args: string[], env?: Record<string, string>): Promise<boolean> {
  const { code } = await new Deno.Command(cmd, {
    args,
    env,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return code === 0;
}

async function isInstalled(pkg: string): Promise<boolean> {
  const { code, stdout } = await new Deno.Command("dpkg-query", {
    args: ["-W", "-f=${Status}", pkg],
    stdout: "piped",
    stderr: "null",
  }).output();
  return code === 0 && new TextDecoder().decode(stdout).includes("install ok installed");
}

export async function ensureAptPackages(listFile: string): Promise<void> {
  const wanted = (await Deno.readTextFile(listFile)).split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line.length > 0);
  const missing: string[] = [];
  for (const pkg of wanted) if (!(await isInstalled(pkg))) missing.push(pkg);
  if (missing.length === 0) return;
  if (Deno.uid() !== 0) {
    console.error(`tests need these Debian packages; install them as root: ${missing.join(" ")}`);
    return;
  }
  console.error(`installing Debian packages: ${missing.join(" ")}`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (!(await run("apt-get", ["update", "-q"], env))) throw new Error("apt-get update failed");
  const ok = await run(
    "apt-get",
    ["install", "-y", "-q", "--no-install-recommends", ...missing],
    env,
  );
  if (!ok) throw new Error(`apt-get install failed for: ${missing.join(" ")}`);
}

export async function runSetupScripts(dir: string): Promise<void> {
  const scripts: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".sh")) scripts.push(entry.name);
  }
  for (const name of scripts.sort()) {
    if (!(await run("bash", [`${dir}${name}`]))) throw new Error(`test setup ${name} failed`);
  }
}
