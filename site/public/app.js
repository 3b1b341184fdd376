// The Lumen app (app.html): the demo site's single-page app.
// Links marked data-route change the view with
// history.pushState instead of loading a page; back and forward re-render from the URL.
// The server answers /app and every /app/... path with app.html, so a reload works too.
const views = {
  '/app': {
    title: 'Notes',
    html:
      '<h1>Notes</h1><p class="note">Planning: ship the pricing page before Friday.</p>' +
      '<p class="note">Retro: fewer meetings, longer notes.</p>' +
      '<p class="note">Checklist: renew the domain, invite Sam.</p>',
  },
  '/app/search': {
    title: 'Search',
    html:
      '<h1>Search</h1><p><label>Find a note <input type="search" placeholder="pricing, retro, Sam…"></label></p>' +
      '<p>Search runs on your device, so it works offline.</p>',
  },
  '/app/settings': {
    title: 'Settings',
    html:
      '<h1>Settings</h1><p><label><input type="checkbox" checked> Quiet mode: no notifications</label></p>' +
      '<p><button class="button quiet" type="button">Export all notes</button></p>',
  },
};
const notFound = {
  title: 'Not found',
  html: '<h1>Not found</h1><p>This view does not exist. <a href="/app" data-route>Back to your notes</a>.</p>',
};

function render() {
  const path = location.pathname.replace(/(\.html)?\/*$/, '') || '/app';
  const view = views[path] || notFound;
  document.getElementById('view').innerHTML = view.html;
  document.title = `${view.title} · Lumen app`;
  for (const link of document.querySelectorAll('aside [data-route]')) {
    if (link.getAttribute('href') === path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-route]') : null;
  // Let the browser handle new-tab clicks and the like.
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  if (link.pathname !== location.pathname) history.pushState({}, '', link.pathname);
  render();
});
addEventListener('popstate', render);
render();
