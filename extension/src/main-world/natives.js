// The built-ins the wrapper needs, captured before any page script runs. The page shares this
// realm: every global (String, Array, Promise...), every prototype method (RegExp.prototype.exec,
// Array.prototype.filter, WeakMap.prototype.get...), every iterator (for...of, spread,
// destructuring) and every property missing on a plain object (Object.prototype) is
// page-writable at call time. So the wrapper's code calls only what is captured here, through
// `apply`, walks lists with index loops, keeps its data in null-prototype objects and lists, and
// never looks anything up on a page-writable prototype after start.

const {
  apply,
  construct,
  defineProperty,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  ownKeys,
  setPrototypeOf,
} = Reflect;

/** `fn` as a plain function taking its `this` first (String.prototype.slice → slice(text, 0, 2)). */
const uncurry =
  (fn) =>
  (self, ...args) =>
    apply(fn, self, args);
// Function.prototype.call bound to `fn` (bind and call captured now, before the page runs):
// `bindCall(fn)(self, a, b)` calls fn with no array per call, for paths run on every DOM insertion.
const functionBind = Function.prototype.bind;
const functionCall = Function.prototype.call;
export const bindCall = (fn) => apply(functionBind, functionCall, [fn]);

const NativePromise = Promise;
const objectFreeze = Object.freeze;
const species = Symbol.species;
export const iteratorSymbol = Symbol.iterator;
const promiseThen = Promise.prototype.then;
const promiseResolve = Promise.resolve;
const promiseReject = Promise.reject;
const promiseAll = Promise.all;
const hasOwnProperty = Object.prototype.hasOwnProperty;
const weakMapProto = WeakMap.prototype;
const weakSetProto = WeakSet.prototype;
const mapProto = Map.prototype;
const setProto = Set.prototype;
const mapSize = getOwnPropertyDescriptor(mapProto, "size").get;
const setSize = getOwnPropertyDescriptor(setProto, "size").get;

export const natives = Object.freeze({
  apply,
  construct,
  defineProperty,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  ownKeys,
  Proxy,
  Promise: NativePromise,
  DOMException,
  String,
  Number,
  Boolean,
  TypeError,
  isArray: Array.isArray,
  isInteger: Number.isInteger,
  freeze: Object.freeze,
  parseInt,
  randomUUID: (
    (fn, owner) => () =>
      apply(fn, owner, [])
  )(crypto.randomUUID, crypto),
  now: (
    (NativeDate, toISOString) => () =>
      apply(toISOString, new NativeDate(), [])
  )(Date, Date.prototype.toISOString),
  setTimeout: (
    (fn) => (callback, ms) =>
      apply(fn, globalThis, [callback, ms])
  )(setTimeout),
  clearTimeout: (
    (fn) => (id) =>
      apply(fn, globalThis, [id])
  )(clearTimeout),
  /** The page's console, as the browser made it (a message the page's developers can see). */
  consoleError: (
    (fn, owner) => (text) =>
      apply(fn, owner, [text])
  )(console.error, console),
});

// String, RegExp and Array operations, each captured (used on the wrapper's own strings and lists).
export const str = Object.freeze({
  slice: uncurry(String.prototype.slice),
  indexOf: uncurry(String.prototype.indexOf),
  startsWith: uncurry(String.prototype.startsWith),
  endsWith: uncurry(String.prototype.endsWith),
  includes: uncurry(String.prototype.includes),
  toLowerCase: uncurry(String.prototype.toLowerCase),
  toUpperCase: uncurry(String.prototype.toUpperCase),
  trim: uncurry(String.prototype.trim),
  charCodeAt: uncurry(String.prototype.charCodeAt),
});
/** RegExp.prototype.exec, captured: `exec(/re/, text)` (never `re.test`, which looks `exec` up). */
export const exec = uncurry(RegExp.prototype.exec);
const arrayJoin = Array.prototype.join;
const arraySlice = Array.prototype.slice;

/** A list with no prototype: `list[list.length] = x` never meets a page-defined Array.prototype setter. */
export function list(...items) {
  const made = [];
  setPrototypeOf(made, null);
  for (let i = 0; i < items.length; i++) made[i] = items[i];
  return made;
}

/** A list's copy as an ordinary array (for the page or the browser); only for list() lists (slice asks an ordinary array for its constructor). */
export const toArray = (items) => apply(arraySlice, items, []);

/** `items` joined with `separator` (items are strings). */
export const join = (items, separator) => apply(arrayJoin, items, [separator]);

/** `text` split at every `separator` (a string), without String.prototype.split's symbol lookup. */
export function splitOn(text, separator) {
  const parts = list();
  let from = 0;
  for (;;) {
    const at = str.indexOf(text, separator, from);
    if (at < 0) break;
    parts[parts.length] = str.slice(text, from, at);
    from = at + separator.length;
  }
  parts[parts.length] = str.slice(text, from);
  return parts;
}

/** `text` split at runs of spaces and tabs (an SDP attribute's fields), empty fields dropped. */
export function words(text) {
  const parts = list();
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? str.charCodeAt(text, i) : 32;
    const blank = c === 32 || c === 9 || c === 10 || c === 13;
    if (blank && start >= 0) {
      parts[parts.length] = str.slice(text, start, i);
      start = -1;
    } else if (!blank && start < 0) {
      start = i;
    }
  }
  return parts;
}

/** The index of `value` in a list, or -1 (strict equality). */
export function indexIn(items, value) {
  for (let i = 0; i < items.length; i++) if (items[i] === value) return i;
  return -1;
}

/** Whether `object` has an own property `key` (never a page-defined Object.prototype one). */
export const hasOwn = (object, key) =>
  object !== null && object !== undefined && apply(hasOwnProperty, object, [key]);

/** `object[key]` when it is an own data property of a plain object, else undefined (read once). */
export function own(object, key) {
  if (object === null || (typeof object !== "object" && typeof object !== "function")) return undefined;
  return hasOwn(object, key) ? object[key] : undefined;
}

/** Defines `object[key] = value` as an own data property (never a page-defined setter up the chain). */
export function put(object, key, value) {
  defineProperty(object, key, {
    __proto__: null,
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return object;
}

/** A null-prototype object with `fields` (no page-defined Object.prototype member is ever found on it). */
export function record(fields = {}) {
  const made = { __proto__: null };
  const keys = ownKeys(fields);
  for (let i = 0; i < keys.length; i++) made[keys[i]] = fields[keys[i]];
  return made;
}

// Collections whose methods are the captured ones (a page may replace WeakMap.prototype.get...).
const collection = (Ctor, proto, names, size) => {
  // The methods are taken now, at start; each collection made later calls these.
  const captured = list();
  for (let i = 0; i < names.length; i++) captured[i] = proto[names[i]];
  return () => {
    const target = new Ctor();
    const methods = { __proto__: null };
    for (let i = 0; i < names.length; i++) {
      const method = captured[i];
      methods[names[i]] = (...args) => apply(method, target, args);
    }
    if (size) defineProperty(methods, "size", { __proto__: null, get: () => apply(size, target, []) });
    return objectFreeze(methods);
  };
};
export const weakMap = collection(WeakMap, weakMapProto, list("get", "set", "has", "delete"));
export const weakSet = collection(WeakSet, weakSetProto, list("add", "has", "delete"));
/** A Map: get/set/has/delete/clear, forEach((value, key) => …) and size. */
export const map = collection(
  Map,
  mapProto,
  list("get", "set", "has", "delete", "clear", "forEach"),
  mapSize,
);
/** A Set: add/has/delete/clear, forEach(value => …) and size. */
export const set = collection(Set, setProto, list("add", "has", "delete", "clear", "forEach"), setSize);

/** A collection's values as a list (to change the collection while walking them). */
export function valuesOf(collected) {
  const out = list();
  collected.forEach((value) => {
    out[out.length] = value;
  });
  return out;
}

/** A collection's keys as a list. */
export function keysOf(collected) {
  const out = list();
  collected.forEach((value, key) => {
    out[out.length] = key;
  });
  return out;
}

// Promises through the captured functions: a page-written Promise.prototype.then, Promise.resolve
// or Promise.all is never called by the wrapper.
/** `promise.then(onValue, onError)` with the captured then. */
export const then = (promise, onValue, onError) => apply(promiseThen, promise, [onValue, onError]);
export const resolved = (value) => apply(promiseResolve, NativePromise, [value]);
export const rejected = (error) => apply(promiseReject, NativePromise, [error]);
export const all = (promises) => apply(promiseAll, NativePromise, [promises]);

/**
 * Keeps promises the wrapper's own: `await` and `then` find Promise.prototype.constructor and
 * Promise[Symbol.species] to decide which constructor makes the next promise and whether to look
 * `then` up again; a page that replaced them could hand its own values to the wrapper's awaits
 * (a media server's answer, a decision). Both are made read-only with the values they have (the
 * browser's own), which changes nothing for a page that does not try.
 */
export function lockPromises(win = globalThis) {
  const P = win.Promise;
  const lock = (target, key) => {
    const descriptor = getOwnPropertyDescriptor(target, key);
    if (!descriptor || !descriptor.configurable) return;
    const fixed = { __proto__: null, enumerable: descriptor.enumerable, configurable: false };
    if (hasOwn(descriptor, "value")) {
      fixed.value = descriptor.value;
      fixed.writable = false;
    } else {
      fixed.get = descriptor.get;
      fixed.set = descriptor.set;
    }
    defineProperty(target, key, fixed);
  };
  lock(P.prototype, "constructor");
  lock(P, species);
}

/** Reads a getter of `proto` (captured now) on `target`. */
export function getterOf(proto, name) {
  const get = own(getOwnPropertyDescriptor(proto, name), "get");
  return get ? (target) => apply(get, target, []) : (target) => target[name];
}

const disguised = weakMap();
const nativeToString = Function.prototype.toString;

/** Makes `wrapper` print (Function.prototype.toString) as `original` does: "[native code]". */
export function disguise(wrapper, original) {
  disguised.set(wrapper, original);
  const keys = list("name", "length");
  for (let i = 0; i < keys.length; i++) {
    const descriptor = getOwnPropertyDescriptor(original, keys[i]);
    if (descriptor) defineProperty(wrapper, keys[i], record(descriptor));
  }
  return wrapper;
}

/** Marks a toString replacement (of any instance of this script, in any realm). */
const TO_STRING_MARK = Symbol.for("vclick.secure-edge.toString");

/**
 * Installs the toString that keeps the disguise in `win`'s realm (itself disguised as the
 * original). A function this script instance did not make may be another instance's (the
 * browser runs one per frame, and a page moves functions between same-origin realms): it is
 * printed by the toString of its own realm, when that is such a replacement. What that prints
 * only ever reaches the page, so a page forging the mark gains nothing.
 */
export function installToString(win = globalThis) {
  const proto = win.Function.prototype;
  const realmToString = own(getOwnPropertyDescriptor(proto, "toString"), "value");
  if (typeof realmToString !== "function" || hasOwn(realmToString, TO_STRING_MARK)) return;
  const replacement = {
    toString() {
      const original = disguised.get(this);
      if (original) return apply(nativeToString, original, []);
      if (typeof this === "function") {
        const home = getPrototypeOf(this);
        const other =
          home && home !== proto ? own(getOwnPropertyDescriptor(home, "toString"), "value") : null;
        if (typeof other === "function" && other !== replacement && hasOwn(other, TO_STRING_MARK)) {
          return apply(other, this, []);
        }
      }
      return apply(nativeToString, this, []);
    },
  }.toString;
  disguise(replacement, realmToString);
  defineProperty(replacement, TO_STRING_MARK, { __proto__: null, value: true });
  defineProperty(
    proto,
    "toString",
    changed(getOwnPropertyDescriptor(proto, "toString"), { value: replacement }),
  );
}

/** A property descriptor with `changes`, as a null-prototype record (no inherited "get" or "value"). */
export const changed = (descriptor, changes) => record({ ...descriptor, ...changes });

/**
 * Replaces accessor or value `slot` ("value", "get" or "set") of property `name` of `proto` with
 * `make(original)`, disguised as the original and keeping the property's other attributes;
 * returns the original (null when there is none to replace).
 */
function replaceSlot(proto, name, slot, make) {
  const descriptor = getOwnPropertyDescriptor(proto, name);
  const original = own(descriptor, slot);
  if (typeof original !== "function") return null;
  const wrapper = disguise(make(original), original);
  defineProperty(proto, name, changed(descriptor, { [slot]: wrapper }));
  return original;
}

/** Replaces method `name` of `proto` with `make(original)`, keeping the property's attributes. */
export function replaceMethod(proto, name, make) {
  return replaceSlot(proto, name, "value", make);
}

/** Replaces getter `name` of `proto` with `make(originalGetter)`. */
export function replaceGetter(proto, name, make) {
  return replaceSlot(proto, name, "get", make);
}

/** Replaces setter `name` of `proto` with `make(originalSetter)` (the getter stays). */
export function replaceSetter(proto, name, make) {
  return replaceSlot(proto, name, "set", make);
}

/** A DOMException like the browser's own (name and message). */
export const domError = (name, message) => new natives.DOMException(message, name);

/** What the browser throws for a method called on an object that is not what it expects. */
export const illegalInvocation = () => new natives.TypeError("Illegal invocation");
