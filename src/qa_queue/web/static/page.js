// qa-queue's part of the app's page, loaded before textual-serve's textual.js (which draws
// the terminal and speaks to the app over the websocket).
"use strict";
(() => {
  // The server closes a tab's websocket with this code when its session ends: signed out in
  // another tab, expired, or the host's password changed. The page then leaves for the
  // sign-in page rather than go on showing the queue under "signed in as".
  const SESSION_ENDED = 4001;
  let leaving = false; // this tab is signing out (or going elsewhere) itself
  window.addEventListener("pagehide", () => { leaving = true; });
  document.addEventListener("submit", () => { leaving = true; });

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      // The keys go to the app from the start, without a click first (xterm.js reads them
      // from its textarea; the app shows its footer once the page says it has the focus).
      // Once the app has drawn its screen (a frame of more than a few setup bytes): a focus
      // message sent while it was still starting was lost, and it went on without the focus.
      const focusOnce = (event) => {
        if (!(event.data instanceof ArrayBuffer) || event.data.byteLength < 512) return;
        this.removeEventListener("message", focusOnce);
        const keys = document.querySelector("#terminal .xterm-helper-textarea");
        if (keys && document.activeElement === document.body) keys.focus();
      };
      this.addEventListener("message", focusOnce);
      this.addEventListener("close", (event) => {
        if (event.code === SESSION_ENDED && !leaving) {
          leaving = true;
          window.location.replace("/sign-in?ended");
        }
      });
    }
  };

  // textual.js opens a download (an export: Textual's deliver_binary) with
  // window.open(url, "_blank"), which left a blank tab behind; a link with `download`
  // fetches it in place instead (the server answers it as an attachment).
  const nativeOpen = window.open.bind(window);
  window.open = (url, target, features) => {
    let address = null;
    try {
      address = new URL(String(url), window.location.href);
    } catch (error) {
      return nativeOpen(url, target, features);
    }
    if (address.origin === window.location.origin && address.pathname.startsWith("/download/")) {
      const link = document.createElement("a");
      link.href = address.href;
      link.download = "";
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      link.remove();
      return null;
    }
    return nativeOpen(url, target, features);
  };
})();
