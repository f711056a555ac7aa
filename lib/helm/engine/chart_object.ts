// `.Chart`: Chart.yaml as the Go struct templates see (Name, Version, AppVersion, ...), plus
// IsRoot. Unset fields read as Go's zero values; toYaml/toJson see the JSON field names.
import { withGoType } from "../../gotemplate/mod.ts";
import type { Metadata } from "../chart/types.ts";

export class ChartObject {
  static goType = "struct { *chart.Metadata; IsRoot bool }";
  readonly Name: string;
  readonly Home: string;
  readonly Sources: string[];
  readonly Version: string;
  readonly Description: string;
  readonly Keywords: string[];
  readonly Maintainers: Array<Record<string, string>>;
  readonly Icon: string;
  readonly APIVersion: string;
  readonly Condition: string;
  readonly Tags: string;
  readonly AppVersion: string;
  readonly Deprecated: boolean;
  readonly Annotations: Record<string, string>;
  readonly KubeVersion: string;
  readonly Dependencies: Array<Record<string, unknown>>;
  readonly Type: string;
  readonly IsRoot: boolean;
  readonly #metadata: Metadata;

  constructor(md: Metadata, isRoot: boolean) {
    this.#metadata = md;
    this.Name = md.name;
    this.Home = md.home ?? "";
    this.Sources = withGoType([...(md.sources ?? [])], "[]string");
    this.Version = md.version;
    this.Description = md.description ?? "";
    this.Keywords = withGoType([...(md.keywords ?? [])], "[]string");
    this.Maintainers = withGoType(
      (md.maintainers ?? []).map((m) => ({
        Name: m.name ?? "",
        Email: m.email ?? "",
        URL: m.url ?? "",
      })),
      "[]*chart.Maintainer",
    );
    this.Icon = md.icon ?? "";
    this.APIVersion = md.apiVersion;
    this.Condition = md.condition ?? "";
    this.Tags = md.tags ?? "";
    this.AppVersion = md.appVersion ?? "";
    this.Deprecated = md.deprecated ?? false;
    this.Annotations = withGoType({ ...(md.annotations ?? {}) }, "map[string]string");
    this.KubeVersion = md.kubeVersion ?? "";
    this.Dependencies = withGoType(
      (md.dependencies ?? []).map((d) => ({
        Name: d.name,
        Version: d.version ?? "",
        Repository: d.repository ?? "",
        Condition: d.condition ?? "",
        Tags: d.tags ?? [],
        Enabled: d.enabled ?? false,
        ImportValues: d["import-values"] ?? [],
        Alias: d.alias ?? "",
      })),
      "[]*chart.Dependency",
    );
    this.Type = md.type ?? "";
    this.IsRoot = isRoot;
  }

  /** encoding/json's view: the Metadata fields with their json tags and omitempty, plus IsRoot. */
  toJSON(): Record<string, unknown> {
    const md = this.#metadata;
    const out: Record<string, unknown> = {};
    const put = (k: string, v: unknown) => {
      if (v === undefined || v === "" || v === false) return;
      if (Array.isArray(v) && v.length === 0) return;
      if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) return;
      out[k] = v;
    };
    put("name", md.name);
    put("home", md.home);
    put("sources", md.sources);
    put("version", md.version);
    put("description", md.description);
    put("keywords", md.keywords);
    put("maintainers", md.maintainers);
    put("icon", md.icon);
    put("apiVersion", md.apiVersion);
    put("condition", md.condition);
    put("tags", md.tags);
    put("appVersion", md.appVersion);
    put("deprecated", md.deprecated);
    put("annotations", md.annotations);
    put("kubeVersion", md.kubeVersion);
    put("dependencies", md.dependencies);
    put("type", md.type);
    out.IsRoot = this.IsRoot;
    return out;
  }
}
