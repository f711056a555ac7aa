// The version skiff reports; bumped on release.
export const SKIFF_VERSION = "0.1.0";
