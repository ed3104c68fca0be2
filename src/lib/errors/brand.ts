// How an error is recognised across module copies: a non-enumerable property under a key of the process-wide symbol
// registry. `next dev` and the production build can load a module twice, and an error thrown by one copy is not an
// instance of the other's class; `Symbol.for` is the same in both. Every branded error family uses this.
export type ErrorBrand = {
  /** Brands the error (with a value such as its kind; `true` by default). */
  mark: (error: object, value?: unknown) => void;
  /** The brand's value on an error made by any copy of the module, or undefined. */
  of: (error: unknown) => unknown;
};

/** The brand `guildgate.<name>`. Names are part of the contract between copies: never rename one. */
export function errorBrand(name: string): ErrorBrand {
  const key = Symbol.for(`guildgate.${name}`);
  return {
    mark: (error, value = true) => Object.defineProperty(error, key, { value, enumerable: false }),
    of: (error) => (typeof error === "object" && error !== null ? (error as Record<symbol, unknown>)[key] : undefined),
  };
}
