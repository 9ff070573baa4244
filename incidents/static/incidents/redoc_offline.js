"use strict";
// Redoc's menu shows its vendor's logo, fetched from the vendor's server. The documentation
// asks no third party for anything (it would tell them who reads it, and the policy blocks
// it anyway): the logo's address is replaced by an empty image before it is fetched, which
// fails to load, and Redoc then leaves the logo out (its own error handling).
(function () {
  var VENDOR = "https://cdn.redoc.ly/";
  var local = function (value) {
    return String(value).indexOf(VENDOR) === 0 ? "data:," : value;
  };
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src") {
      value = local(value);
    }
    return setAttribute.call(this, name, value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) { src.set.call(this, local(value)); },
  });
})();
