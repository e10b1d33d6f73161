// The playground's service worker, scope /playground/: it answers the worker's requests for the files
// manifest.json lists (Pyodide, SymPy, the project's derivations; each name carries its version) from
// the cache, so a page that starts Python again neither downloads nor revalidates them. Nothing else
// of the site goes through it. The build (docs/playground.py) writes this build's version and files
// below; a new build is a new script, so the browser installs it, it opens a new cache, copies over
// the files the two builds share, and deletes the old caches, with the memory snapshots in them.
const BUILD = { version: "unbuilt", files: [] };
const CACHE = `playground-${BUILD.version}`;
const FILES = new Set(BUILD.files.map((file) => new URL(file, self.registration.scope).href));

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const current = await caches.open(CACHE);
    for (const name of await caches.keys()) {
      if (!name.startsWith("playground-") || name === CACHE) continue;
      const old = await caches.open(name);
      for (const url of FILES) {
        const kept = await old.match(url);
        if (kept && !(await current.match(url))) await current.put(url, kept);
      }
      await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = event.request.url;
  if (event.request.method !== "GET" || !FILES.has(url)) return; // the network, as without this worker
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const kept = await cache.match(url);
    if (kept) return kept;
    const response = await fetch(event.request);
    if (!response.ok) return response;
    // answered from the cache entry even the first time, so that the browser can keep the code it
    // compiles from pyodide.asm.wasm with that entry for the next pages
    await cache.put(url, response);
    return (await cache.match(url)) || fetch(event.request);
  })());
});
