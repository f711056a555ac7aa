// Discovery of served resources and the apiVersion+kind → resource mapping.
export { Discovery, type DiscoveryOptions, type ResourceInfo } from "./discovery.ts";
