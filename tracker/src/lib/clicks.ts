/**
 * tracker.full.js: clicks counted without code, under Plausible's event names so an owner who
 * moves keeps their goals. `data-outbound-links` on the script tag: a click on a link to another
 * host sends `Outbound Link: Click`; `data-file-downloads`: a click on a link to a file sends
 * `File Download` (extensions from `data-file-types="pdf,zip"` when given); both with the
 * property `url`. Any element with `data-pv-event="Name"` sends that event when clicked, with a
 * property for each `data-pv-prop-<key>="value"` on it.
 *
 * Navigation is never held up: the event goes out with sendBeacon (send.ts), which the browser
 * delivers even as it leaves the page, so a link that opens in the same tab still sends it.
 */
import type { EventOptions } from '../api.js';

const defaultFileTypes =
  'pdf,xlsx,docx,txt,rtf,csv,exe,key,pps,ppt,pptx,7z,pkg,rar,gz,zip,avi,mov,mp4,mpeg,wmv,midi,mp3,wav,wma,dmg';

export function trackClicks(
  script: HTMLScriptElement,
  event: (name: string, options: EventOptions) => void,
): void {
  const outbound = script.hasAttribute('data-outbound-links');
  const downloads = script.hasAttribute('data-file-downloads');
  // A path ending in one of the extensions, in any case ("a,b" -> /\.(a|b)$/i): fewer bytes than
  // splitting the path and the list.
  const fileTypes = RegExp(
    '\\.(' + (script.getAttribute('data-file-types') || defaultFileTypes).replace(/,/g, '|') + ')$',
    'i',
  );

  const onClick = (e: MouseEvent) => {
    // A left or middle click opens a link (click, auxclick); a right click does not.
    if (e.button < 2)
      try {
        const target = e.target as Element;
        const tagged = target.closest('[data-pv-event]');
        const props: Record<string, string> = {};
        if (tagged) {
          // 13: the length of `data-pv-prop-`.
          for (const attribute of tagged.attributes)
            if (attribute.name.startsWith('data-pv-prop-')) props[attribute.name.slice(13)] = attribute.value;
          return event(tagged.getAttribute('data-pv-event')!, { props });
        }
        // An <a> has no <a> inside it (HTML does not nest them): the closest one is the link.
        const link = target.closest('a');
        // A link with a host, as Plausible: http(s), ftp...; not mailto:, tel: or javascript:.
        const name =
          link &&
          link.host &&
          (downloads && fileTypes.test(link.pathname)
            ? 'File Download'
            : outbound && link.host !== location.host && 'Outbound Link: Click');
        // The API takes property values of at most 2,000 characters.
        if (name) event(name, { props: { url: link.href.slice(0, 2000) } });
      } catch {
        // A click on the document itself (no closest) or anything odd: never into the host page.
      }
  };
  addEventListener('click', onClick, true);
  addEventListener('auxclick', onClick, true);
}
