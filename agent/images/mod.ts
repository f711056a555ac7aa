// Scanned tags and selected images, shared by the image reconcilers.
export { ImageStore, type ScannedRepository } from "./store.ts";
