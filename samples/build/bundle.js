// build output of the web front end
function a(b){return b.map(function(c){return c*2})}
