// The service worker only wires listeners and awaits one init (see STYLE.md).
// Vclick presence, notifications and Secure Edge arrive with the extension issues.
const init = Promise.resolve();

chrome.runtime.onInstalled.addListener(() => init);
