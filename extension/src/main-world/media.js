// Camera, microphone and screen capture under the Secure Edge policy: the capture functions wait
// for the decision and refuse what it blocks with the error the browser itself gives when the
// user denies permission (NotAllowedError "Permission denied"). `deny` blocks every capture.
import { natives, replaceMethod, domError } from "./natives.js";

const denied = () => domError("NotAllowedError", "Permission denied");

/** Which devices `constraints` asks for. */
export function requestedKinds(constraints) {
  const wants = (value) => value !== undefined && value !== false && value !== null;
  return { camera: wants(constraints?.video), microphone: wants(constraints?.audio) };
}

/** deny, or no decision could be had: no capture at all ("no WebRTC on that origin"). */
const refusesAll = (decision) => decision.decision === "deny" || decision.decision === "unavailable";

/** Whether a getUserMedia request is refused by the decision. */
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

export function wrapMedia(win, policy) {
  const { apply } = natives;
  const then = natives.Promise.prototype.then;
  const devices = win.MediaDevices?.prototype;
  if (devices) {
    replaceMethod(
      devices,
      "getUserMedia",
      (original) =>
        ({
          getUserMedia(...args) {
            const target = this;
            return apply(then, policy.whenDecided(), [
              (decision) => {
                if (refusesUserMedia(decision, args[0])) throw denied();
                return apply(original, target, args);
              },
            ]);
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
            return apply(then, policy.whenDecided(), [
              (decision) => {
                if (refusesDisplayMedia(decision)) throw denied();
                return apply(original, target, args);
              },
            ]);
          },
        }).getDisplayMedia,
    );
  }
  // The legacy callback forms (navigator.webkitGetUserMedia / getUserMedia).
  for (const name of ["getUserMedia", "webkitGetUserMedia"]) {
    replaceMethod(
      win.Navigator.prototype,
      name,
      (original) =>
        ({
          [name](constraints, onSuccess, onError) {
            const target = this;
            apply(then, policy.whenDecided(), [
              (decision) => {
                if (refusesUserMedia(decision, constraints)) {
                  if (typeof onError === "function") onError(denied());
                  return;
                }
                apply(original, target, [constraints, onSuccess, onError]);
              },
            ]);
          },
        })[name],
    );
  }
}
