/*
 * Cross-origin isolation for static hosts that cannot send response headers (GitHub Pages and the
 * like). Written for this project. Loaded as a classic script first thing in index.html:
 *  - on an already isolated page (the server sends COOP/COEP) it does nothing;
 *  - otherwise it registers itself as a service worker, which re-serves every same-origin response
 *    with COOP `same-origin`, COEP `require-corp` and CORP `same-origin`, and reloads the page once.
 * The app itself needs no cross-origin resource, so `require-corp` blocks nothing it uses.
 */
/* eslint-disable */
if (typeof window === 'undefined') {
  self.addEventListener('install', function () {
    self.skipWaiting();
  });
  self.addEventListener('activate', function (event) {
    event.waitUntil(self.clients.claim());
  });
  self.addEventListener('fetch', function (event) {
    var request = event.request;
    if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
    if (new URL(request.url).origin !== self.location.origin) return;
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.status === 0) return response;
        var headers = new Headers(response.headers);
        headers.set('Cross-Origin-Opener-Policy', 'same-origin');
        headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
        headers.set('Cross-Origin-Resource-Policy', 'same-origin');
        return new Response(response.body, {
          status: response.status,
          statusText: response.statusText,
          headers: headers,
        });
      }),
    );
  });
} else {
  (function () {
    if (window.crossOriginIsolated || !window.isSecureContext || !('serviceWorker' in navigator)) return;
    var KEY = 'coi-serviceworker-reloaded';
    // One reload at most per tab session: if isolation still fails, the app explains the fix.
    if (window.sessionStorage && sessionStorage.getItem(KEY)) return;
    var script = document.currentScript;
    if (!script) return;
    navigator.serviceWorker.register(script.src).then(
      function (registration) {
        // Where service workers are blocked (Playwright's `serviceWorkers: 'block'`, some privacy
        // settings) registration can settle without one: nothing to wait for, the app explains.
        if (!registration) return;
        function reload() {
          try {
            sessionStorage.setItem(KEY, '1');
          } catch (e) {
            /* storage unavailable: reload anyway, the guard above is best effort */
          }
          window.location.reload();
        }
        if (navigator.serviceWorker.controller) {
          reload();
          return;
        }
        var worker = registration.installing || registration.waiting || registration.active;
        if (worker && worker.state === 'activated') return reload();
        navigator.serviceWorker.addEventListener('controllerchange', reload);
      },
      function (err) {
        console.warn('coi-serviceworker: registration failed', err);
      },
    );
  })();
}
