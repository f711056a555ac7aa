// The few browser APIs the client script uses, typed here instead of pulling TypeScript's
// "dom" lib into the program (it would clash with Deno's own types for everyone else).
// Type-only: nothing from this file reaches the browser.

export interface BrowserElement {
  id: string;
  hidden: boolean;
  textContent: string | null;
  innerHTML: string;
  readonly outerHTML: string;
  readonly dataset: Record<string, string | undefined>;
  readonly classList: { add(name: string): void; remove(name: string): void };
  readonly children: ArrayLike<BrowserElement>;
  readonly firstElementChild: BrowserElement | null;
  /** <time datetime>. */
  readonly dateTime: string;
  /** <template>. */
  readonly content: BrowserFragment;
  /** <form>: its controls by name. */
  readonly elements: { namedItem(name: string): { value: string } | null };
  replaceWith(node: BrowserElement): void;
  append(node: BrowserElement): void;
  remove(): void;
  querySelectorAll(selector: string): ArrayLike<BrowserElement>;
  addEventListener(type: string, listener: (event: BrowserEvent) => void): void;
}

export interface BrowserFragment {
  readonly children: ArrayLike<BrowserElement>;
  readonly firstElementChild: BrowserElement | null;
}

export interface BrowserEvent {
  readonly data?: string;
  preventDefault(): void;
}

export interface BrowserDocument {
  readonly body: BrowserElement;
  getElementById(id: string): BrowserElement | null;
  querySelector(selector: string): BrowserElement | null;
  querySelectorAll(selector: string): ArrayLike<BrowserElement>;
  createElement(tag: string): BrowserElement;
}

export interface BrowserEventSource {
  addEventListener(type: string, listener: (event: BrowserEvent) => void): void;
}

export interface BrowserGlobals {
  document: BrowserDocument;
  history: { replaceState(state: null, title: string, url: string): void };
  EventSource: new (url: string) => BrowserEventSource;
}
