// `images:` — rewrites container images by name: newName, newTag, digest (a new tag or digest
// replaces both old ones). Names match as kustomize matches them: the entry's name is a regular
// expression anchored at the start, followed by an optional tag and an optional digest.
import { fieldSpecSelects, visitFieldSpec } from "./fieldspec.ts";
import type { FieldSpec, ImageEntry } from "./kustomization.ts";
import type { ResMap } from "./resmap.ts";
import { isMap } from "./resource.ts";

export function imageMatches(image: string, name: string): boolean {
  let re: RegExp;
  try {
    re = new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
  } catch {
    return image === name;
  }
  return re.test(image);
}

/** Splits [host[:port]/]path[:tag][@digest] into its parts. */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf("/");
  const offset = slash > 0 ? slash : 0;
  const search = image.slice(offset);
  const at = search.indexOf("@");
  const colon = search.indexOf(":");
  if (colon < 0 && at < 0) return { name: image, tag: "", digest: "" };
  if (at >= 0 && (at < colon || colon < 0)) {
    return { name: image.slice(0, offset + at), tag: "", digest: image.slice(offset + at + 1) };
  }
  if (at >= 0 && colon >= 0) {
    return {
      name: image.slice(0, offset + colon),
      tag: image.slice(offset + colon + 1, offset + at),
      digest: image.slice(offset + at + 1),
    };
  }
  return { name: image.slice(0, offset + colon), tag: image.slice(offset + colon + 1), digest: "" };
}

export function updateImage(image: string, entry: ImageEntry): string {
  if (!imageMatches(image, entry.name)) return image;
  let { name, tag, digest } = splitImage(image);
  if (entry.newName) name = entry.newName;
  const newTag = entry.newTag === undefined || entry.newTag === null ? "" : String(entry.newTag);
  if (newTag && entry.digest) {
    tag = newTag;
    digest = entry.digest;
  } else if (newTag) {
    tag = newTag;
    digest = "";
  } else if (entry.digest) {
    tag = "";
    digest = entry.digest;
  }
  if (entry.tagSuffix) tag += entry.tagSuffix;
  return name + (tag ? `:${tag}` : "") + (digest ? `@${digest}` : "");
}

export function applyImages(resources: ResMap, images: ImageEntry[], fieldSpecs: FieldSpec[]) {
  for (const entry of images) {
    for (const r of resources.list) {
      // Any `containers`/`initContainers` list anywhere in the object (kustomize's legacy walk).
      updateContainerLists(r.obj, entry);
      const gvk = r.gvk;
      for (const fs of fieldSpecs) {
        if (!fieldSpecSelects(fs, gvk)) continue;
        visitFieldSpec(r.obj, fs.path, { create: false }, (parent, key) => {
          const v = parent[key];
          if (typeof v === "string") parent[key] = updateImage(v, entry);
        });
      }
    }
  }
}

function updateContainerLists(node: unknown, entry: ImageEntry): void {
  if (Array.isArray(node)) {
    for (const item of node) updateContainerLists(item, entry);
    return;
  }
  if (!isMap(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if ((key === "containers" || key === "initContainers") && Array.isArray(value)) {
      for (const c of value) {
        if (isMap(c) && typeof c.image === "string") c.image = updateImage(c.image, entry);
      }
    }
    updateContainerLists(value, entry);
  }
}
