// The built-ins the wrapper needs, captured before any page script runs: a page that later
// replaces Function.prototype.apply, Reflect, Map or a prototype method cannot see or change
// what the wrapper does with them.

const { apply, construct, defineProperty, getOwnPropertyDescriptor } = Reflect;

export const natives = Object.freeze({
  apply,
  construct,
  defineProperty,
  getOwnPropertyDescriptor,
  Proxy,
  WeakMap,
  WeakSet,
  Map,
  Set,
  Promise,
  DOMException,
  randomUUID: crypto.randomUUID.bind(crypto),
  now: () => new Date().toISOString(),
  setTimeout: setTimeout.bind(globalThis),
  clearTimeout: clearTimeout.bind(globalThis),
});

/** Reads a getter of `proto` (captured now) on `target`. */
export function getterOf(proto, name) {
  const descriptor = getOwnPropertyDescriptor(proto, name);
  const get = descriptor?.get;
  return get ? (target) => apply(get, target, []) : (target) => target[name];
}

const disguised = new WeakMap();
const nativeToString = Function.prototype.toString;

/** Makes `wrapper` print (Function.prototype.toString) as `original` does: "[native code]". */
export function disguise(wrapper, original) {
  disguised.set(wrapper, original);
  for (const key of ["name", "length"]) {
    const descriptor = getOwnPropertyDescriptor(original, key);
    if (descriptor) defineProperty(wrapper, key, descriptor);
  }
  return wrapper;
}

/** Installs the toString that keeps the disguise (itself disguised as the original). */
export function installToString() {
  const replacement = {
    toString() {
      return apply(nativeToString, disguised.get(this) ?? this, []);
    },
  }.toString;
  disguise(replacement, nativeToString);
  defineProperty(Function.prototype, "toString", {
    ...getOwnPropertyDescriptor(Function.prototype, "toString"),
    value: replacement,
  });
}

/** Replaces method `name` of `proto` with `make(original)`, keeping the property's attributes. */
export function replaceMethod(proto, name, make) {
  const descriptor = getOwnPropertyDescriptor(proto, name);
  if (!descriptor || typeof descriptor.value !== "function") return null;
  const original = descriptor.value;
  const wrapper = disguise(make(original), original);
  defineProperty(proto, name, { ...descriptor, value: wrapper });
  return original;
}

/** Replaces getter `name` of `proto` with `make(originalGetter)`. */
export function replaceGetter(proto, name, make) {
  const descriptor = getOwnPropertyDescriptor(proto, name);
  if (!descriptor?.get) return null;
  const original = descriptor.get;
  const wrapper = disguise(make(original), original);
  defineProperty(proto, name, { ...descriptor, get: wrapper });
  return original;
}

/** A DOMException like the browser's own (name and message). */
export const domError = (name, message) => new natives.DOMException(message, name);
