// Register the service worker (scope: the whole site) after load, so it never competes with the page.
"serviceWorker"in navigator&&addEventListener("load",()=>navigator.serviceWorker.register("/sw.js").catch(()=>0))
