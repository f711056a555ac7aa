// Image policies (which tag is the latest) and setters (writing it back into YAML).
export {
  type CompiledPolicy,
  compilePolicy,
  filterTags,
  type ImagePolicySpec,
  type Order,
  type PolicyChoice,
  PolicyError,
  type PolicyFailure,
  selectLatest,
  type TagFilter,
} from "./policy.ts";
export { expandTemplate } from "./extract.ts";
export {
  applySetters,
  type ApplySettersOptions,
  type ObjectId,
  type SetterChange,
  type SetterPolicy,
  type SetterResult,
} from "./setters.ts";
export { SetterError } from "./setter_error.ts";
export { setterPathOf, type UpdateStrategySpec } from "./update_strategy.ts";
export {
  AutomationTemplateData,
  automationTemplateData,
  Change,
  ChangeResult,
  FileResult,
  ImageRef,
  NamespacedName,
  ObjectIdentifier,
  UpdateResult,
} from "./template_data.ts";
export {
  CommitMessageError,
  DEFAULT_COMMIT_MESSAGE,
  renderCommitMessage,
} from "./commit_message.ts";
export {
  compileExclusions,
  DEFAULT_EXCLUSION_LIST,
  ExclusionListError,
  type ImageRepositoryScanSpec,
  scanImageRepository,
  type ScanOptions,
  type ScanResult,
} from "./scan.ts";
export {
  type DryRunAutomation,
  type DryRunPolicy,
  type DryRunRepository,
  formatImagesReport,
  imagesDryRun,
  type ImagesReport,
} from "./dry_run.ts";
