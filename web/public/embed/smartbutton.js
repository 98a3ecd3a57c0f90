/*
 * openassist SmartButton: a "Get live help" button for a company's own web site.
 *
 *   <script src="https://HOST/embed/smartbutton.js" data-account="demo" data-portal="button" async></script>
 *
 * Optional: data-label="…" (the button's text), data-target="css-selector" (put the
 * button into that element instead of right after the script tag).
 * The button opens HOST/p/<account>/<portal> in a new window. No dependencies.
 */
(function () {
  'use strict';

  var SCRIPT_PATH = '/embed/smartbutton.js';

  /** This script's own tag: document.currentScript, or (async/deferred in old browsers) the one with our src. */
  function ownScript() {
    var current = document.currentScript;
    if (current && current.src && current.src.indexOf(SCRIPT_PATH) !== -1) return current;
    var scripts = document.querySelectorAll('script[src*="' + SCRIPT_PATH + '"]');
    for (var i = 0; i < scripts.length; i++) {
      if (!scripts[i].getAttribute('data-openassist-done')) return scripts[i];
    }
    return null;
  }

  var script = ownScript();
  if (!script) return;
  script.setAttribute('data-openassist-done', '1');

  var account = script.getAttribute('data-account') || '';
  var portal = script.getAttribute('data-portal') || '';
  var label = script.getAttribute('data-label') || 'Get live help';
  if (!account || !portal) {
    if (window.console) window.console.warn('openassist SmartButton: data-account and data-portal are required');
    return;
  }

  var origin;
  try {
    origin = new URL(script.src, document.baseURI).origin;
  } catch (e) {
    return;
  }
  var portalUrl = origin + '/p/' + encodeURIComponent(account) + '/' + encodeURIComponent(portal);

  function makeButton() {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'openassist-smartbutton';
    button.setAttribute('data-openassist-portal', account + '/' + portal);
    button.setAttribute('aria-label', label);

    var dot = document.createElement('span');
    dot.setAttribute('aria-hidden', 'true');
    var ds = dot.style;
    ds.display = 'inline-block';
    ds.width = '0.6em';
    ds.height = '0.6em';
    ds.marginRight = '0.55em';
    ds.borderRadius = '50%';
    ds.background = '#3fb950';
    ds.boxShadow = '0 0 0 3px rgba(63, 185, 80, 0.3)';
    ds.verticalAlign = '0.05em';
    button.appendChild(dot);
    button.appendChild(document.createTextNode(label));

    var s = button.style;
    s.display = 'inline-flex';
    s.alignItems = 'center';
    s.padding = '0.7em 1.25em';
    s.border = '0';
    s.borderRadius = '999px';
    s.background = '#1f6feb';
    s.color = '#ffffff';
    s.font = '600 15px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
    s.letterSpacing = '0.01em';
    s.cursor = 'pointer';
    s.boxShadow = '0 2px 6px rgba(16, 24, 40, 0.18), 0 6px 18px rgba(31, 111, 235, 0.25)';
    s.transition = 'transform 0.12s ease, box-shadow 0.12s ease';

    function lift(on) {
      s.transform = on ? 'translateY(-1px)' : '';
      s.background = on ? '#1a5fd0' : '#1f6feb';
    }
    button.addEventListener('mouseenter', function () {
      lift(true);
    });
    button.addEventListener('mouseleave', function () {
      lift(false);
    });
    button.addEventListener('focus', function () {
      s.outline = '3px solid rgba(31, 111, 235, 0.45)';
      s.outlineOffset = '2px';
    });
    button.addEventListener('blur', function () {
      s.outline = '';
    });
    button.addEventListener('click', function () {
      // A window of its own, beside the page; with noopener the portal cannot reach back into this page
      // (and window.open returns null, so there is nothing to check).
      var width = 480;
      var height = Math.min(780, (window.screen && window.screen.availHeight) || 780);
      var left = Math.max(0, (window.screenX || 0) + (window.outerWidth || width) - width - 40);
      var top = Math.max(0, (window.screenY || 0) + 60);
      var features = 'noopener,width=' + width + ',height=' + height + ',left=' + left + ',top=' + top;
      window.open(portalUrl, '_blank', features);
    });
    return button;
  }

  function place() {
    var button = makeButton();
    var targetSelector = script.getAttribute('data-target');
    var target = targetSelector ? document.querySelector(targetSelector) : null;
    if (target) target.appendChild(button);
    else if (script.parentNode && script.parentNode !== document.head)
      script.parentNode.insertBefore(button, script.nextSibling);
    else document.body.appendChild(button);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', place);
  else place();
})();
