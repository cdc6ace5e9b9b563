// Trunk's initializer (index.html's data-initializer): drives the loading bar while the wasm
// downloads, and says what went wrong if it cannot start. The app removes #kubeplay-loading
// once it is on screen.
// The remembered theme applies to the loading screen too (the app sets it again once it runs).
try {
  const theme = localStorage.getItem('kubeplay.theme');
  if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
} catch {
  // No storage (private window): the light theme until the app runs.
}

export default function initializer() {
  const bar = () => document.getElementById('kubeplay-loading-bar');
  const label = () => document.getElementById('kubeplay-loading-label');
  return {
    onProgress: ({ current, total }) => {
      const el = bar();
      if (el && total > 0) {
        el.style.width = `${Math.min(100, Math.round((current / total) * 100))}%`;
        el.setAttribute('aria-valuenow', String(Math.round((current / total) * 100)));
      }
    },
    onFailure: (error) => {
      const el = label();
      if (el) el.textContent = `kubeplay could not start: ${error && error.message ? error.message : error}`;
      const loading = document.getElementById('kubeplay-loading');
      if (loading) loading.classList.add('failed');
    },
  };
}
