// The import job page while its import runs: fetches the page again every two seconds and replaces the status region
// (#import-status) with the new one, until the import has finished. Nothing reloads, so focus, scroll position and a
// screen reader's place stay where they are (WCAG 2.2.1: no timed page refresh), and the region's live status is read
// out when it changes. Without scripts the page offers a plain link to look again.
(() => {
  const every = 2000;
  const poll = async () => {
    const region = document.getElementById('import-status');
    if (!region || region.dataset.running !== 'true') {
      return;
    }

    try {
      const response = await fetch(window.location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
      if (response.ok) {
        const next = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('import-status');
        if (next) {
          region.replaceWith(document.importNode(next, true));
        }
      }
    } catch {
      // A network hiccup: try again at the next tick.
    }

    window.setTimeout(poll, every);
  };

  window.setTimeout(poll, every);
})();
