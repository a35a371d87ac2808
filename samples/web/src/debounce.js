/**
 * Returns a function that delays calling `fn` until `waitMs` milliseconds have passed without
 * another call. Used for the search box, so we query the server once the user stops typing.
 */
export function debounce(fn, waitMs) {
  let timer = null;
  return function debounced(...args) {
    clearTimeout(timer);
    timer = setTimeout(() => fn.apply(this, args), waitMs);
  };
}
