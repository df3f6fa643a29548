// Camera, microphone and screen capture under the Secure Edge policy: the capture functions wait
// for the decision and refuse what it blocks with the error the browser itself gives when the
// user denies permission (NotAllowedError "Permission denied"). `deny` blocks every capture.
// The page's constraints are read once (dictionaries.js); the browser gets only that copy.
import { natives, replaceMethod, domError, then } from "./natives.js";
import { readConstraints } from "./dictionaries.js";

const denied = () => domError("NotAllowedError", "Permission denied");

/**
 * Whether a constraint member asks for the device, as the browser reads `(boolean or
 * MediaTrackConstraints)`: an object (or null, which becomes an empty constraints object) asks
 * for it; anything else as its truth value.
 */
function wants(value) {
  if (value === undefined) return false;
  if (value === null || typeof value === "object" || typeof value === "function") return true;
  return natives.Boolean(value);
}

/** Which devices `constraints` (read once: readConstraints) asks for. */
export function requestedKinds(constraints) {
  return { camera: wants(constraints?.video), microphone: wants(constraints?.audio) };
}

/** deny, or no decision could be had: no capture at all ("no WebRTC on that origin"). */
const refusesAll = (decision) => decision.decision === "deny" || decision.decision === "unavailable";

/** Whether a getUserMedia request (its constraints read once) is refused by the decision. */
export function refusesUserMedia(decision, constraints) {
  if (refusesAll(decision)) return true;
  const { camera, microphone } = requestedKinds(constraints);
  return (
    (camera && decision.settings.blockCamera === true) ||
    (microphone && decision.settings.blockMicrophone === true)
  );
}

/** Whether a getDisplayMedia request is refused by the decision. */
export const refusesDisplayMedia = (decision) =>
  refusesAll(decision) || decision.settings.blockScreenCapture === true;

/** Wraps capture in `win`'s realm; `policy` is the frame's policy state. */
export function wrapMedia(win, policy) {
  const { apply } = natives;
  const devices = win.MediaDevices?.prototype;
  if (devices) {
    replaceMethod(
      devices,
      "getUserMedia",
      (original) =>
        ({
          getUserMedia(...args) {
            const target = this;
            // Read now, once: the decision below and the browser see the same copy.
            const constraints = args.length > 0 ? readConstraints(args[0]) : undefined;
            return then(policy.whenDecided(), (decision) => {
              if (refusesUserMedia(decision, constraints)) throw denied();
              return apply(original, target, constraints === undefined ? [] : [constraints]);
            });
          },
        }).getUserMedia,
    );
    replaceMethod(
      devices,
      "getDisplayMedia",
      (original) =>
        ({
          getDisplayMedia(...args) {
            const target = this;
            return then(policy.whenDecided(), (decision) => {
              if (refusesDisplayMedia(decision)) throw denied();
              return apply(original, target, args);
            });
          },
        }).getDisplayMedia,
    );
  }
  // The legacy callback forms (navigator.webkitGetUserMedia / getUserMedia).
  const legacy = ["getUserMedia", "webkitGetUserMedia"];
  for (let i = 0; i < legacy.length; i++) {
    const name = legacy[i];
    replaceMethod(
      win.Navigator.prototype,
      name,
      (original) =>
        ({
          [name](given, onSuccess, onError) {
            const target = this;
            const constraints = readConstraints(given);
            then(policy.whenDecided(), (decision) => {
              if (refusesUserMedia(decision, constraints)) {
                if (typeof onError === "function") apply(onError, undefined, [denied()]);
                return;
              }
              apply(original, target, [constraints, onSuccess, onError]);
            });
          },
        })[name],
    );
  }
}
