// The data an ImageUpdateAutomation's `git.commit.messageTemplate` is rendered with, in Flux's
// shapes so existing templates work unchanged:
//   .AutomationObject   types.NamespacedName (prints as "namespace/name")
//   .Changed            update.Result of current Flux: .FileChanges, .Changes, .Objects
//                       (and .ImageResult, which Flux v0.x offered on its ResultV2)
//   .Updated            the older update.Result that v1beta1 configs still use: .Files,
//                       .Objects, .Images
//   .Values             spec.git.commit.messageTemplateValues
// Go structs are class instances and Go methods prototype methods (lib/gotemplate calls them);
// maps keyed by an object identifier are JS Maps whose entries are already in the order Go's
// text/template ranges over struct keys (field by field: APIVersion, Kind, Name, Namespace).
import { type ImageReference, parseImageRef } from "../registry/mod.ts";
import type { ObjectId, SetterChange } from "./setters.ts";

export class NamespacedName {
  static readonly goType = "types.NamespacedName";
  constructor(readonly Name: string, readonly Namespace: string) {}
  String(): string {
    return `${this.Namespace}/${this.Name}`;
  }
}

/** yaml.ResourceIdentifier with its embedded fields promoted, as templates read them. */
export class ObjectIdentifier {
  static readonly goType = "update.ObjectIdentifier";
  constructor(
    readonly APIVersion: string,
    readonly Kind: string,
    readonly Name: string,
    readonly Namespace: string,
  ) {}
}

export class Change {
  static readonly goType = "update.Change";
  constructor(readonly OldValue: string, readonly NewValue: string, readonly Setter: string) {}
}

/** update.ImageRef: the image a policy wrote. */
export class ImageRef {
  static readonly goType = "update.imageRef";
  readonly #ref: ImageReference;
  readonly #policy: NamespacedName;
  constructor(image: string, policy: NamespacedName) {
    this.#ref = parseImageRef(image);
    this.#policy = policy;
  }
  /** The image as the policy gave it, e.g. `helloworld:v1.0.1`. */
  String(): string {
    return this.#ref.original;
  }
  /** The tag, or the digest for a digest reference. */
  Identifier(): string {
    return this.#ref.digest ?? this.#ref.tag ?? "latest";
  }
  Repository(): string {
    return this.#ref.repository;
  }
  Registry(): string {
    return this.#ref.registry;
  }
  /** Fully qualified, e.g. `index.docker.io/library/helloworld:v1.0.1`. */
  Name(): string {
    const r = this.#ref;
    return `${r.registry}/${r.repository}${r.digest ? `@${r.digest}` : `:${r.tag ?? "latest"}`}`;
  }
  Policy(): NamespacedName {
    return this.#policy;
  }
}

export class FileResult {
  static readonly goType = "update.FileResult";
  constructor(readonly Objects: Map<ObjectIdentifier, ImageRef[]>) {}
}

/** The older update.Result (`.Updated`). */
export class UpdateResult {
  static readonly goType = "update.Result";
  constructor(readonly Files: Record<string, FileResult>) {}
  /** Every image written at least once. */
  Images(): ImageRef[] {
    const out: ImageRef[] = [];
    for (const file of Object.keys(this.Files).sort()) {
      for (const refs of this.Files[file].Objects.values()) {
        for (const ref of refs) if (!out.includes(ref)) out.push(ref);
      }
    }
    return out;
  }
  /** Images per object, whatever file the object is in. */
  Objects(): Map<ObjectIdentifier, ImageRef[]> {
    const merged = new Map<ObjectIdentifier, ImageRef[]>();
    for (const file of Object.keys(this.Files).sort()) {
      for (const [id, refs] of this.Files[file].Objects) {
        merged.set(id, [...(merged.get(id) ?? []), ...refs]);
      }
    }
    return sortedById(merged);
  }
}

/** Current Flux's update.Result (`.Changed`). */
export class ChangeResult {
  static readonly goType = "update.Result";
  constructor(
    readonly FileChanges: Record<string, Map<ObjectIdentifier, Change[]>>,
    readonly ImageResult: UpdateResult,
  ) {}
  /** Every distinct change. */
  Changes(): Change[] {
    const out: Change[] = [];
    const seen = new Set<string>();
    for (const file of Object.keys(this.FileChanges).sort()) {
      for (const changes of this.FileChanges[file].values()) {
        for (const c of changes) {
          const key = JSON.stringify([c.OldValue, c.NewValue, c.Setter]);
          if (!seen.has(key)) {
            seen.add(key);
            out.push(c);
          }
        }
      }
    }
    return out;
  }
  /** Changes per object, whatever file the object is in (a later file's entry wins, as in Flux). */
  Objects(): Map<ObjectIdentifier, Change[]> {
    const merged = new Map<ObjectIdentifier, Change[]>();
    for (const file of Object.keys(this.FileChanges).sort()) {
      for (const [id, changes] of this.FileChanges[file]) merged.set(id, changes);
    }
    return sortedById(merged);
  }
}

/** A struct, so that a misspelt field is an error as in Go, not `<no value>`. */
export class AutomationTemplateData {
  static readonly goType = "source.TemplateData";
  constructor(
    readonly AutomationObject: NamespacedName,
    readonly Changed: ChangeResult,
    readonly Updated: UpdateResult,
    readonly Values: Record<string, string>,
  ) {}
}

/** Builds the message template's data from the change records of one automation run. */
export function automationTemplateData(
  automation: { name: string; namespace: string },
  changes: readonly SetterChange[],
  values: Record<string, string> = {},
): AutomationTemplateData {
  const ids = new Map<string, ObjectIdentifier>();
  const idOf = (o: ObjectId) => {
    const key = JSON.stringify([o.apiVersion, o.kind, o.name, o.namespace]);
    let id = ids.get(key);
    if (!id) ids.set(key, id = new ObjectIdentifier(o.apiVersion, o.kind, o.name, o.namespace));
    return id;
  };
  const refs = new Map<string, ImageRef>();
  const refOf = (c: SetterChange) => {
    const key = `${c.policy.namespace}/${c.policy.name} ${c.image}`;
    let ref = refs.get(key);
    if (!ref) {
      refs.set(
        key,
        ref = new ImageRef(c.image, new NamespacedName(c.policy.name, c.policy.namespace)),
      );
    }
    return ref;
  };
  const fileChanges: Record<string, Map<ObjectIdentifier, Change[]>> = {};
  const files: Record<string, Map<ObjectIdentifier, ImageRef[]>> = {};
  for (const c of changes) {
    const id = idOf(c.object);
    const perFile = fileChanges[c.file] ??= new Map();
    perFile.set(id, [...(perFile.get(id) ?? []), new Change(c.oldValue, c.newValue, c.setter)]);
    const images = files[c.file] ??= new Map();
    const list = images.get(id) ?? [];
    const ref = refOf(c);
    if (!list.includes(ref)) images.set(id, [...list, ref]);
  }
  const updated = new UpdateResult(
    Object.fromEntries(Object.entries(files).map(([f, m]) => [f, new FileResult(sortedById(m))])),
  );
  const changed = new ChangeResult(
    Object.fromEntries(Object.entries(fileChanges).map(([f, m]) => [f, sortedById(m)])),
    updated,
  );
  return new AutomationTemplateData(
    new NamespacedName(automation.name, automation.namespace),
    changed,
    updated,
    { ...values },
  );
}

function sortedById<T>(m: Map<ObjectIdentifier, T>): Map<ObjectIdentifier, T> {
  const cmp = (a: ObjectIdentifier, b: ObjectIdentifier) => {
    for (const k of ["APIVersion", "Kind", "Name", "Namespace"] as const) {
      if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
    }
    return 0;
  };
  return new Map([...m.entries()].sort(([a], [b]) => cmp(a, b)));
}
