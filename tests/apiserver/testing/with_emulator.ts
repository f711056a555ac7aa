// The setup the emulator's own tests share: a fresh emulator and a client for it, both closed
// when the test body ends, however it ends.
import { type ApiServerOptions, startApiServer } from "../mod.ts";
import { EmulatorClient } from "./client.ts";

export async function withEmulator(
  options: ApiServerOptions,
  fn: (c: EmulatorClient) => Promise<void>,
): Promise<void> {
  const server = await startApiServer(options);
  const c = new EmulatorClient(server);
  try {
    await fn(c);
  } finally {
    c.close();
    await server.stop();
  }
}
