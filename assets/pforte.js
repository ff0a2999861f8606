/*
 * Pforte pages: progressive enhancement only; every page works without this script.
 * Copy buttons: <button data-copy="<id>" data-copied-label="Kopiert"> copies the text of the
 * element with that id, shows the label for a moment and announces it in the live region
 * "<id>-status" (created when the page has none). Where the clipboard API is unavailable
 * (plain http, old browsers) the text is selected so that the user can copy it by hand.
 */
/* global document, navigator, window */
(function () {
  'use strict';

  var SHOW_MS = 2500;

  function statusFor(button, id) {
    var status = document.getElementById(id + '-status');
    if (!status) {
      status = document.createElement('span');
      status.id = id + '-status';
      status.className = 'copy-status';
      status.setAttribute('role', 'status');
      button.insertAdjacentElement('afterend', status);
    }
    return status;
  }

  function selectText(element) {
    var selection = window.getSelection();
    if (!selection) return;
    var range = document.createRange();
    range.selectNodeContents(element);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function legacyCopy(element) {
    selectText(element);
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }

  function showCopied(button, status) {
    var label = button.getAttribute('data-copied-label') || '';
    if (!button.hasAttribute('data-label')) {
      button.setAttribute('data-label', (button.textContent || '').trim());
    }
    if (label) button.textContent = label;
    status.textContent = label;
    window.clearTimeout(Number(button.getAttribute('data-timer')) || 0);
    var timer = window.setTimeout(function () {
      button.textContent = button.getAttribute('data-label');
      status.textContent = '';
    }, SHOW_MS);
    button.setAttribute('data-timer', String(timer));
  }

  function copy(button) {
    var id = button.getAttribute('data-copy');
    var source = id && document.getElementById(id);
    if (!source) return;
    var text = (source.textContent || '').trim();
    var status = statusFor(button, id);
    var fallback = function () {
      if (legacyCopy(source)) showCopied(button, status);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        showCopied(button, status);
      }, fallback);
    } else {
      fallback();
    }
  }

  function init() {
    var buttons = document.querySelectorAll('button[data-copy]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener('click', function (event) {
        copy(event.currentTarget);
      });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
