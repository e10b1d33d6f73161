// The playground's Python: Pyodide, SymPy and the project's derivations, loaded from this site on the
// first request and kept for the next ones. Messages in: {id, call, args}; out: {id, progress} while
// loading, then {id, result} (the JSON text derivations.playground returned) or {id, failure}.
let python = null;

async function start(base, say) {
  const manifest = await (await fetch(new URL("manifest.json", base))).json();
  say("interpreter");
  const { loadPyodide } = await import(new URL(manifest.pyodide, base).href);
  const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", base).href });
  say("wheels");
  for (const [archive, format] of manifest.archives) {
    const response = await fetch(new URL(archive, base));
    if (!response.ok) throw new Error(`${archive}: HTTP ${response.status}`);
    pyodide.unpackArchive(await response.arrayBuffer(), format);
  }
  say("import");
  return pyodide.pyimport("derivations.playground");
}

self.onmessage = async (event) => {
  const { id, base, call, args } = event.data;
  try {
    if (python === null) python = start(base, (stage) => self.postMessage({ id, progress: stage }));
    const playground = await python;
    self.postMessage({ id, progress: "running" });
    self.postMessage({ id, result: playground[call](...args) });
  } catch (error) {
    self.postMessage({ id, failure: String(error && error.message ? error.message : error) });
  }
};
