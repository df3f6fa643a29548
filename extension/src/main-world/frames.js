// Every same-origin realm the page can reach gets the wrapper before the page can use it. The
// browser injects Secure Edge at document_start into every frame it loads (manifest: all_frames,
// match_about_blank, match_origin_as_fallback), but not into the initial empty document of a
// frame or window that is about to navigate (an iframe with a src or srcdoc, window.open(url)):
// the page can reach that realm synchronously. So the wrapper of the parent realm installs
// itself there first, at each way in it can intercept: the contentWindow/contentDocument getters
// of frame elements, window.open's result, and a MutationObserver on the document (and on every
// shadow root) that covers frames as they are inserted (and then every realm in window[i]), before
// the page's next script. A realm already covered (by this script or the frame's own) carries a
// mark and is left alone.
// The DOM's insertion methods and HTML setters also look at the frame list right after they
// ran, so a frame a script inserts is covered before its next statement. Limit
// (extension/README.md): an insertion by another way (the HTML editor's execCommand) reached
// through `window[i]` or its name in the same synchronous run.
import {
  natives,
  bindCall,
  getterOf,
  replaceSetter,
  hasOwn,
  own,
  replaceGetter,
  replaceMethod,
  disguise,
  changed,
} from "./natives.js";
import { SHADOW_ATTACHED_EVENT } from "../content/pending-definitions.js";

const MARK = Symbol.for("vclick.secure-edge");
const { apply, defineProperty, getOwnPropertyDescriptor } = natives;

/** The realm's own RTCPeerConnection.prototype, or null when the realm cannot be read (cross-origin). */
function protoOf(win) {
  try {
    const P = own(getOwnPropertyDescriptor(win, "RTCPeerConnection"), "value");
    return typeof P === "function" ? P.prototype : null;
  } catch (e) {
    return null; // another origin's realm: its own content script covers it
  }
}

/** Whether Secure Edge already runs in `win`'s realm (or the realm is not ours to cover). */
export function isCovered(win) {
  const proto = protoOf(win);
  return proto === null || hasOwn(proto, MARK);
}

/** Marks `win`'s realm as covered (before it is wrapped). */
export function markCovered(win) {
  const proto = protoOf(win);
  if (proto) defineProperty(proto, MARK, { __proto__: null, value: true });
}

/**
 * Watches `win`'s ways to other realms and calls `install(child)` for each same-origin realm not
 * covered yet, before the page gets it.
 */
export function coverChildRealms(win, install) {
  const cover = (child) => {
    if (child && !isCovered(child)) install(child);
    return child;
  };
  const frameOf = (element) => {
    const view = contentWindowOf(element);
    if (view) cover(view);
  };
  const getters = [];
  const kinds = ["HTMLIFrameElement", "HTMLFrameElement", "HTMLObjectElement"];
  for (let i = 0; i < kinds.length; i++) {
    const proto = win[kinds[i]]?.prototype;
    if (!proto) continue;
    getters[getters.length] = getterOf(proto, "contentWindow");
    replaceGetter(proto, "contentWindow", (original) => {
      const holder = {
        get contentWindow() {
          return cover(apply(original, this, []));
        },
      };
      return getOwnPropertyDescriptor(holder, "contentWindow").get;
    });
    replaceGetter(proto, "contentDocument", (original) => {
      const holder = {
        get contentDocument() {
          frameOf(this);
          return apply(original, this, []);
        },
      };
      return getOwnPropertyDescriptor(holder, "contentDocument").get;
    });
  }
  /** The frame element's window through the browser's getter of its own kind. */
  const contentWindowOf = (element) => {
    for (let i = 0; i < getters.length; i++) {
      try {
        return getters[i](element);
      } catch (e) {
        // not an element of that kind
      }
    }
    return null;
  };

  const open = getOwnPropertyDescriptor(win, "open");
  const native = own(open, "value");
  if (typeof native === "function") {
    const wrapped = disguise(
      {
        open(...args) {
          return cover(apply(native, this, args));
        },
      }.open,
      native,
    );
    defineProperty(win, "open", changed(open, { value: wrapped }));
  }

  const watch = watchInsertedFrames(win, cover, frameOf);
  coverAfterInsertions(win, cover);
  const announce = shadowAnnouncer(win);
  replaceMethod(
    win.Element.prototype,
    "attachShadow",
    (original) =>
      ({
        attachShadow() {
          const root = apply(original, this, arguments);
          watch(root);
          announce(this, root);
          return root;
        },
      }).attachShadow,
  );
}

/**
 * Tells click-to-call's content script (content/pending-definitions.js) that a host already in
 * the page got an open shadow root: one composed event on the host, through the realm's own
 * constructors and getters captured here. A host not connected yet is found when it is inserted.
 */
function shadowAnnouncer(win) {
  const mode = getterOf(win.ShadowRoot.prototype, "mode");
  const isConnected = getterOf(win.Node.prototype, "isConnected");
  const CustomEventOf = win.CustomEvent;
  const dispatch = win.EventTarget.prototype.dispatchEvent;
  return (host, root) => {
    if (mode(root) !== "open" || !isConnected(host)) return;
    const event = new CustomEventOf(SHADOW_ATTACHED_EVENT, {
      __proto__: null,
      bubbles: true,
      composed: true,
    });
    apply(dispatch, host, [event]);
  };
}

/**
 * Frames inserted into `win`'s document (or a shadow root given to the returned `watch`) are
 * covered at the next microtask checkpoint, which comes before the parser runs the page's next
 * script. Returns `watch(root)`.
 */
export function watchInsertedFrames(win, cover, frameOf = null) {
  const contentWindow = getterOf(win.HTMLIFrameElement.prototype, "contentWindow");
  const frameWindow =
    frameOf ??
    ((element) => {
      try {
        const view = contentWindow(element);
        if (view) cover(view);
      } catch (e) {
        // a frame or object element: reached through the getters when the page asks for it
      }
    });
  const querySelectorAll = win.Element.prototype.querySelectorAll;
  const nodeName = getterOf(win.Node.prototype, "nodeName");
  const ElementType = win.Element;
  const isElement = (node) => node instanceof ElementType;
  const count = getterOf(win.NodeList.prototype, "length");
  const FRAMES = "iframe, frame, object";
  const onAdded = (node) => {
    if (!isElement(node)) return;
    const name = nodeName(node);
    if (name === "IFRAME" || name === "FRAME" || name === "OBJECT") frameWindow(node);
    const inside = apply(querySelectorAll, node, [FRAMES]);
    for (let i = 0, n = count(inside); i < n; i++) frameWindow(inside[i]);
  };
  const addedNodes = getterOf(win.MutationRecord.prototype, "addedNodes");
  // The window's own frame list (window[i]) reaches every child realm, whatever element made it
  // (embed too) and wherever it sits (a shadow root): swept after every batch of insertions.
  // `length` is read through the browser's getter (a page may overwrite window.length).
  const frameCount = getterOf(win, "length");
  const sweep = () => {
    const n = frameCount(win);
    for (let i = 0; i < n; i++) {
      try {
        cover(win[i]);
      } catch (e) {
        // a frame gone meanwhile
      }
    }
  };
  const observer = new win.MutationObserver((records) => {
    for (let i = 0; i < records.length; i++) {
      const added = addedNodes(records[i]);
      for (let j = 0, n = count(added); j < n; j++) onAdded(added[j]);
    }
    sweep();
  });
  const observe = win.MutationObserver.prototype.observe;
  const watch = (root) =>
    apply(observe, observer, [root, { __proto__: null, childList: true, subtree: true }]);
  watch(win.document);
  return watch;
}

/**
 * The DOM's insertion methods and HTML setters, each followed at once (in the same call) by a look
 * at the window's frame list: a frame the call created is covered before the page's next
 * statement could reach it through `window[i]` or its name. Only when the number of frames changed
 * (one native getter call otherwise), so ordinary DOM work pays next to nothing.
 */
function coverAfterInsertions(win, cover) {
  // Called after every insertion: the window's own length getter through a bound call (no array
  // per call), and the wrappers pass `arguments` on as they are.
  const lengthGetter = own(getOwnPropertyDescriptor(win, "length"), "get");
  const frameCount = lengthGetter ? bindCall(lengthGetter) : (target) => target.length;
  let known = frameCount(win);
  const sweep = () => {
    const n = frameCount(win);
    if (n === known) return;
    known = n;
    for (let i = 0; i < n; i++) {
      try {
        cover(win[i]);
      } catch (e) {
        // a frame gone meanwhile
      }
    }
  };
  const methods = [
    ["Node", ["appendChild", "insertBefore", "replaceChild"]],
    [
      "Element",
      [
        "append",
        "prepend",
        "before",
        "after",
        "replaceWith",
        "replaceChildren",
        "insertAdjacentElement",
        "insertAdjacentHTML",
        "setHTMLUnsafe",
      ],
    ],
    ["Document", ["append", "prepend", "replaceChildren", "write", "writeln"]],
    ["DocumentFragment", ["append", "prepend", "replaceChildren"]],
    ["CharacterData", ["before", "after", "replaceWith"]],
    ["DocumentType", ["before", "after", "replaceWith"]],
    ["ShadowRoot", ["setHTMLUnsafe"]],
    ["Range", ["insertNode", "surroundContents"]],
  ];
  for (let i = 0; i < methods.length; i++) {
    const proto = win[methods[i][0]]?.prototype;
    const names = methods[i][1];
    if (!proto) continue;
    for (let j = 0; j < names.length; j++) {
      const name = names[j];
      replaceMethod(proto, name, (original) => {
        const holder = {
          [name]() {
            try {
              return apply(original, this, arguments);
            } finally {
              sweep();
            }
          },
        };
        return holder[name];
      });
    }
  }
  const setters = [
    ["Element", ["innerHTML", "outerHTML"]],
    ["ShadowRoot", ["innerHTML"]],
  ];
  for (let i = 0; i < setters.length; i++) {
    const proto = win[setters[i][0]]?.prototype;
    const names = setters[i][1];
    if (!proto) continue;
    for (let j = 0; j < names.length; j++) {
      const name = names[j];
      replaceSetter(proto, name, (original) => {
        const holder = {
          set [name](value) {
            try {
              apply(original, this, [value]);
            } finally {
              sweep();
            }
          },
        };
        return getOwnPropertyDescriptor(holder, name).set;
      });
    }
  }
}
