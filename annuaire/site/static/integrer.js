/* Lists for partners' websites (embed pages): tell the page that holds the <iframe> how tall the
   list is, so that it shows whole, without an inner scroll bar. Only the height is sent; the
   partner's snippet listens for it. Without JavaScript, the frame keeps its fixed height. */
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var last = 0;
  function send() {
    var height = document.documentElement.scrollHeight;
    if (height !== last) {
      last = height;
      window.parent.postMessage({ annuaireHauteur: height, page: location.pathname }, "*");
    }
  }
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  if (window.ResizeObserver) { new ResizeObserver(send).observe(document.body); }
})();
