// Loads a config file: parses every YAML document (with alias and size limits), checks each
// one, then checks the file as a whole (duplicates, references, dependsOn cycles). Every
// problem of the file is collected and thrown together in one ConfigError.
import { parseDocuments, readTextStrict, YamlError } from "../../lib/yaml/mod.ts";
import { Config } from "./config.ts";
import { findDependencyCycles } from "./cycles.ts";
import { checkDocument, type DocumentIdentity } from "./document.ts";
import { agentKind } from "./kinds/agent.ts";
import type { AgentSpec } from "./kinds/mod.ts";
import type { Agent, FluxObject } from "./objects.ts";
import { ConfigError, ConfigFileError, type ConfigProblem } from "./problems.ts";
import { checkReferences } from "./references.ts";
import { INVALID } from "./schema/mod.ts";

/** Reads and loads a config file; throws ConfigFileError (unreadable) or ConfigError (invalid). */
export async function loadConfigFile(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readTextStrict(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new ConfigFileError(path, "does not exist");
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new ConfigFileError(path, "cannot be read (permission denied)");
    }
    if (e instanceof Deno.errors.IsADirectory) throw new ConfigFileError(path, "is a directory");
    if (e instanceof YamlError) throw new ConfigFileError(path, e.reason.replace(/^file /, ""));
    throw e;
  }
  return loadConfigText(text, path);
}

/** Loads config text; `file` names it in messages. Throws ConfigError listing every problem. */
export function loadConfigText(text: string, file: string): Config {
  const problems: ConfigProblem[] = [];
  const add = (
    documentIndex: number | undefined,
    id: DocumentIdentity,
    path: string,
    message: string,
  ) =>
    problems.push({
      file,
      documentIndex,
      kind: id.kind,
      namespace: id.namespace,
      name: id.name,
      path,
      message,
    });

  let documents;
  try {
    documents = parseDocuments(text, { file });
  } catch (e) {
    if (!(e instanceof YamlError)) throw e;
    add(e.documentIndex, {}, "", e.reason);
    throw new ConfigError(file, problems);
  }

  const objects: FluxObject[] = [];
  const agents: Agent[] = [];
  for (const doc of documents) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        problems.push({
          file,
          documentIndex: doc.index,
          kind: undefined,
          namespace: undefined,
          name: undefined,
          path: "",
          message: err.reason,
          ...(err.position ? { line: err.position.line, column: err.position.col } : {}),
        });
      }
      continue;
    }
    if (doc.value === null || doc.value === undefined) continue; // an empty document
    const origin = { file, documentIndex: doc.index, line: doc.line };
    const { object } = checkDocument(
      doc.value,
      origin,
      (id, path, message) => add(doc.index, id, path, message),
    );
    if (!object) continue;
    if (object.kind === "Agent") agents.push(object as Agent);
    else objects.push(object as FluxObject);
  }

  // The same object twice would be applied twice with different content.
  const firstSeen = new Map<string, FluxObject>();
  const unique: FluxObject[] = [];
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    const first = firstSeen.get(key);
    if (first) {
      add(
        o.origin.documentIndex,
        identityOf(o),
        "metadata.name",
        `duplicate ${o.kind} ${o.metadata.namespace}/${o.metadata.name} ` +
          `(first defined in document ${first.origin.documentIndex + 1})`,
      );
      continue;
    }
    firstSeen.set(key, o);
    unique.push(o);
  }
  for (const extra of agents.slice(1)) {
    add(
      extra.origin.documentIndex,
      identityOf(extra),
      "kind",
      `only one Agent document is allowed (first defined in document ${
        agents[0].origin.documentIndex + 1
      })`,
    );
  }

  const agent = agents[0]?.spec ?? defaultAgentSpec();
  for (const p of checkReferences(unique, { noCrossNamespaceRefs: agent.noCrossNamespaceRefs })) {
    add(p.from.origin.documentIndex, identityOf(p.from), p.path, p.message);
  }
  for (const cycle of findDependencyCycles(unique)) {
    const chain = cycle.members.map((m) => `${m.metadata.namespace}/${m.metadata.name}`).join(
      " -> ",
    );
    add(
      cycle.first.origin.documentIndex,
      identityOf(cycle.first),
      "spec.dependsOn",
      `dependency cycle: ${cycle.first.kind} ${chain}`,
    );
  }

  if (problems.length > 0) {
    // Whole-file checks ran after the per-document ones; print in file order.
    const order = (p: ConfigProblem) => p.documentIndex ?? -1;
    throw new ConfigError(
      file,
      problems.map((p, i) => ({ p, i }))
        .sort((a, b) => order(a.p) - order(b.p) || a.i - b.i).map(({ p }) => p),
    );
  }
  return new Config(file, unique, agent, agents[0]);
}

function identityOf(o: FluxObject | Agent): DocumentIdentity {
  return { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
}

function defaultAgentSpec(): AgentSpec {
  const ctx = {
    namespace: "flux-system",
    name: "skiff",
    report(path: string, message: string) {
      throw new Error(`the Agent's defaults are invalid at ${path}: ${message}`);
    },
  };
  const [version] = agentKind.versions;
  const spec = version.spec.check({}, "spec", ctx);
  if (spec === INVALID) throw new Error("the Agent's defaults are invalid");
  return version.normalize(spec, ctx);
}
