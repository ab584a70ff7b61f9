/* Dataflow console, bundled by make gen-ui from server/dataflow_server/ui/src with Preact 11.2.0 (MIT) and htm 3.1.1 (Apache-2.0). */
var k,qe,Rt,B,we,pe,Ge,de,je,be,ke,At,Z=Symbol.for("pv"),me={},he=[],Wt=/^m(i|n|o|s|text|space)$/,xe=Array.isArray,Se=he.slice,z=Object.assign;function J(t){t&&t.parentNode&&t.remove()}function Ke(t,e,n){var o,s,r,i={},a=arguments.length;for(r in e)r=="key"?o=e[r]:r=="ref"&&typeof t!="function"?s=e[r]:i[r]=e[r];return a>2&&(i.children=a>3?Se.call(arguments,2):n),Y(t,i,o,s,null)}function Y(t,e,n,o,s){var r={type:t,props:e,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Z,__v:s||++qe,__i:-1,__u:0};return!s&&k.vnode&&k.vnode(r),r}function ee(t){return t.children}function _e(t,e){this.props=t,this.context=e,this.__g=0}function V(t,e){if(e==null)return t.__&&V(t.__,t.__i+1);for(var n;e<t.__k.length;e++)if((n=t.__k[e])&&n.__e)return n.__e;return typeof t.type!="function"||t.props.__P?null:V(t)}function Ot(t){var e,n=t.__v,o=n.__e,s=[],r=[],i=t.__P;i&&((e=z({constructor:Z},n)).__v=n.__v+1,k.vnode&&k.vnode(e),Ee(i,e,n,t.__n,i.namespaceURI,32&n.__u?[o]:null,s,o||V(n),32&n.__u,r),e.__v=n.__v,e.__.__k[e.__i]=e,Ze(s,e,r),n.__=n.__e=null,e.__e!=o&&Je(e))}function Je(t){if((t=t.__)&&t.__c&&!t.props.__P)return t.__e=null,t.__k.some(function(e){return e&&(t.__e=e.__e)}),Je(t)}function He(t){(8&t.__g||(t.__g|=8,B.push(t),pe++))&&we==k.debounceRendering||((we=k.debounceRendering)||queueMicrotask)(ze)}function ze(){try{for(var t,e=1;B.length;)B.length>e&&B.sort(Ge),t=B.shift(),e=B.length,8&t.__g&&Ot(t)}finally{(pe=B.length)&&(we||queueMicrotask)(ze)}}function Xe(t,e,n,o,s,r,i,a,l,f,u){var _,m,d,p,h,$,w=o.__k||he,g=e.length;for(l=Mt(n,e,w,l,g),_=0;_<g;_++)(d=n.__k[_])!=null&&(m=~d.__i&&w[d.__i]||me,d.__i=_,$=Ee(t,d,m,s,r,i,a,l,f,u),p=d.__e,(m.ref!=d.ref||8&m.__u)&&(m.ref&&Te(m.ref,null,d,m),d.ref&&u.push(d.ref,d.__c||p,d)),h=h||p,4&d.__u?(l=Qe(d,l,t,!m.__v),m.__e&&(m.__e=null)):typeof d.type=="function"&&$!==void 0?l=$:p&&(l=p.nextSibling),d.__u&=-21);return n.__e=h,l}function Mt(t,e,n,o,s){var r,i,a,l,f,u,_,m,d,p=n.length,h=p,$=0,w=0,g=t.__k=Array(s);for(r=0;r<s;r++)(i=e[r])!=null&&typeof i!="boolean"&&typeof i!="function"?(typeof i!="object"||i.constructor===String?i=g[r]=Y(null,i):xe(i)?i=g[r]=Y(ee,{children:i}):i.constructor===Z&&i.__b?i=g[r]=Y(i.type,i.props,i.key,i.ref,i.__v):g[r]=i,l=r+$,i.__=t,i.__b=t.__b+1,a=null,~(f=i.__i=Ut(i,n,l,h))&&(h--,(a=n[f])&&(a.__u|=2)),a&&a.__v?(i.__u|=16,f==l-1?$--:f==l+1?$++:f!=l&&(f>l?$--:$++,w=1)):(~f||(s>p?$--:s<p&&$++),typeof i.type!="function"&&(i.__u|=4))):g[r]=null;if(w){for(u=[],_=[],r=0;r<s;r++)if((i=g[r])&&16&i.__u){for($=0,m=u.length;$<m;)u[d=$+m>>1]<i.__i?$=d+1:m=d;u[$]=i.__i,_[r]=$+1}for($=u.length;r--;)_[r]&&(_[r]==$?$--:g[r].__u|=4)}if(h)for(r=0;r<p;r++)!(a=n[r])||2&a.__u||(a.__e==o&&(o=V(a)),Ne(a,a));return o}function Qe(t,e,n,o){var s,r,i,a;if(typeof t.type=="function"){if(t.props.__P)return e;if(s=t.__k)for(r=0;r<s.length;r++)s[r]&&(s[r].__=t,e=Qe(s[r],e,n,!1));return e}for(e&&!e.parentNode&&(e=V(t))&&!e.parentNode&&(e=null),i=t.__e,a=e;a&&a.nodeType==8;)a=a.nextSibling;for(i!=a&&(!o&&n.moveBefore&&i.parentNode?n.moveBefore(i,e):n.insertBefore(i,e||null)),e=i;(e=e&&e.nextSibling)&&e.nodeType==8&&!e.data.startsWith("$s"););return e}function Ut(t,e,n,o){var s,r=t.key,i=t.type,a=e[n],l=a&&!(2&a.__u);if(a===null&&r==null||l&&r==a.key&&i==a.type)return n;if(o>(l?1:0)){for(s=n-1;s>=0;s--)if((a=e[s])&&!(2&a.__u)&&r==a.key&&i==a.type)return s;for(s=n+1;s<e.length;s++)if((a=e[s])&&!(2&a.__u)&&r==a.key&&i==a.type)return s}return-1}function Fe(t,e,n){n==null&&(n=""),e[0]=="-"?t.setProperty(e,n):t[e]=n}function ue(t,e,n,o,s){var r,i;if(e=="style")if(typeof n=="string")t.style.cssText=n;else{if(typeof o=="string"&&(t.style.cssText=o=""),o)for(e in o)n&&e in n||Fe(t.style,e);if(n)for(e in n)o&&n[e]==o[e]||Fe(t.style,e,n[e])}else if(e[0]=="o"&&e[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(t.__e||(t.__e={}))[e]=n,n&&o||(i=ke[e]||(ke[e]=Bt(e)),(t.__a||(t.__a={}))[e]=be,r=e!=(e=e.replace(je,"$1")),(e=e.slice(2))[0]<"a"&&(e=e.toLowerCase()),n?t.addEventListener(e,i,r):t.removeEventListener(e,i,r));else{if(s=="http://www.w3.org/2000/svg")e=e.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(e!="width"&&e!="height"&&e!="href"&&e!="list"&&e!="form"&&e!="tabIndex"&&e!="download"&&e!="rowSpan"&&e!="colSpan"&&e!="role"&&e!="popover"&&e in t)try{return void(t[e]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&e[4]!="-"?t.removeAttribute(e):t.setAttribute(e,e=="popover"&&n==1?"":n)}}function Bt(t){return function(e){var n=this.__e;if(n){if(n=n[t],e[de]==null)e[de]=be++;else if(e[de]<this.__a[t])return;return n(k.event?k.event(e):e)}}}function Ee(t,e,n,o,s,r,i,a,l,f){var u,_,m,d,p,h,$,w,g,E,b,ye,Be,ce,j,Ve,U,K,W=e.type;if(e.constructor!==Z)return null;128&n.__u&&(l=32&n.__u,u=n.__c.__z)&&(e.__u|=l,_=r=[],u.nodeType==8?a=fe(u,r):r.push(u),a=r[0]||a),(u=k.__b)&&u(e);e:if(typeof W=="function"){m=i.length;try{if(w=e.props,g=(u=W.prototype)&&u.render,E=(u=W.contextType)&&o[u.__c],b=u?E?E.props.value:u.__:o,(d=n.__c)?(e.__c=d,2&d.__g&&(d.__g|=1)):(g?e.__c=d=new W(w,b):(e.__c=d=new _e(w,b),d.constructor=W,d.render=Ht),E&&E.sub(d),d.state||(d.state={}),d.__n=o,d.__g|=8,d.__h=[],d.__k=[]),g&&(d.__s||(d.__s=d.state),W.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=z({},d.__s)),z(d.__s,W.getDerivedStateFromProps(w,d.__s)))),p=d.props,h=d.state,d.__v=e,n.__c){if(w!==p&&g&&!W.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(w,b),e.__v==n.__v&&!(8&d.__g)||!(4&d.__g)&&d.shouldComponentUpdate&&d.shouldComponentUpdate(w,d.__s,b)===!1){e.__v!=n.__v&&(d.props=w,d.state=d.__s,d.__g&=-9),e.__e=n.__e,e.__k=n.__k,e.__k.some(function(L){L&&(L.__=e)}),he.push.apply(d.__h,d.__k),d.__k=[],d.__h.length&&i.push(d),a=V(n);break e}d.componentWillUpdate&&d.componentWillUpdate(w,d.__s,b),g&&d.componentDidUpdate&&d.__h.push(function(){d.componentDidUpdate(p,h,$)})}else g&&!W.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),g&&d.componentDidMount&&d.__h.push(d.componentDidMount);d.context=b,d.props=w,d.__P=t,d.__g&=-5,ye=k.__r,Be=g?25:0;do d.__g&=-9,ye&&ye(e),u=d.render(d.props,d.state=d.__s,d.context);while(8&d.__g&&++Be<25);g&&(he.push.apply(d.__h,d.__k),d.__k=[]),d.state=d.__s,d.getChildContext&&(o=z({},o,d.getChildContext())),g&&n.__c&&d.getSnapshotBeforeUpdate&&($=d.getSnapshotBeforeUpdate(p,h)),ce=u&&u.type===ee&&u.key==null?u.props.children:u,w.__P&&(u=a,s=(t=w.__P).namespaceURI,l=r=null,n.props&&n.props.__P!=t&&(n.__k.some(function(L){L&&Ne(L,L)}),n.__k=null),a=n.__k?V(n,0):null),a=Xe(t,xe(ce)?ce:[ce],e,n,o,s,r,i,a,l,f),w.__P&&(e.__e=null,a=u),e.__u&=-161,_&&_.some(J),d.__h.length&&i.push(d),1&d.__g&&(d.__g&=-4)}catch(L){if(i.length=m,e.__v=null,l||r)if(L&&L.then){if(e.__u|=128|l,r){for(~(U=r.indexOf(a||void 0))||(U=r.length);(K=r[U-1])&&K.nodeType==8;)U--;for(;U<r.length;U++)if(K=r[U])if(r[U]=null,j){if(K==Ve)break}else{if(K.nodeType!=8)break;K.data.startsWith("$s")&&(Ve=fe(j=K))}}if(!j){for(;a&&a.nodeType==8&&a.nextSibling;)a=a.nextSibling;j=a}(u=fe(j=e.__c.__z||(e.__c.__z=j)))?(e.__e=j,a=u):e.__e=a,a=a&&a.nextSibling}else r&&r.some(J);else e.__e=n.__e;e.__k||(e.__k=n.__k||[]),L&&L.then||Ye(e),k.__e(L,e,n)}}else a=e.__e=Vt(n.__e,e,n,o,s,r,i,l,f,t);return(u=k.diffed)&&u(e),a}function fe(t,e){if(t&&t.nodeType==8&&t.data.startsWith("$s"))for(var n=1;t=t.nextSibling;){if(t.nodeType==8){if(t.data.startsWith("$s"))n++;else if(t.data.startsWith("/$s")&&!--n)return t}e&&e.push(t)}}function Ye(t){t&&(t.__c&&(t.__c.__g|=4),t.__k&&t.__k.some(Ye))}function Ze(t,e,n){for(var o=0;o<n.length;)Te(n[o++],n[o++],n[o++]);k.__c&&k.__c(e,t),t.some(function(s){try{t=s.__h,s.__h=[],t.some(function(r){r.call(s)})}catch(r){k.__e(r,s.__v)}})}function Vt(t,e,n,o,s,r,i,a,l,f){var u,_,m,d,p,h,$,w,g=n.props||me,E=e.props,b=e.type;if(b=="svg"?s="http://www.w3.org/2000/svg":b=="math"?s="http://www.w3.org/1998/Math/MathML":s||(s="http://www.w3.org/1999/xhtml"),r){for(u=0;u<r.length;u++)if((p=r[u])&&(b?p.localName==b:p.nodeType==3)){t=p,r[u]=null;break}}if(!t){if(w=f.ownerDocument||document,!b)return w.createTextNode(E);t=w.createElementNS(s,b,E.is?E:f),a&&(k.__m&&k.__m(e,r),a=!1),r=null}if(b){if(f=b=="template"&&t.content||t,r=b=="textarea"&&E.defaultValue!=null?null:r&&Se.call(f.childNodes),!a&&r)for(g={},u=0;u<t.attributes.length;u++)g[(p=t.attributes[u]).name]=p.value;for(u in g)p=g[u],u=="dangerouslySetInnerHTML"?m=p:u=="children"||u in E||u=="value"&&"defaultValue"in E||u=="checked"&&"defaultChecked"in E||ue(t,u,null,p,s);for(u in E)p=E[u],u=="children"?d=p:u=="dangerouslySetInnerHTML"?_=p:u=="value"?h=p:u=="checked"?$=p:a&&typeof p!="function"||g[u]===p||ue(t,u,p,g[u],s);_?(a||m&&(_.__html==m.__html||_.__html==t.innerHTML)||(t.innerHTML=_.__html),e.__k=[]):(m&&(t.textContent=""),(b=="foreignObject"||s=="http://www.w3.org/1998/Math/MathML"&&Wt.test(b))&&(s="http://www.w3.org/1999/xhtml"),Xe(f,xe(d)?d:[d],e,n,o,s,r,i,r?r[0]:n.__k&&V(n,0),a,l),r&&r.some(J)),a&&b!="textarea"||(u="value",b=="progress"&&h==null?t.removeAttribute(u):h==null||h===t[u]&&(b!="progress"||h)||ue(t,u,h,g[u],s),u="checked",$!=null&&$!=t[u]&&ue(t,u,$,g[u],s))}else g===E||a&&t.data==E||(t.data=E);return t}function Te(t,e,n,o){try{typeof t=="function"?e?e.__x=t(e)||1:o&&(o=o.__c||o.__e)&&(e=o.__x)&&(o.__x=null,typeof e=="function"?e():t(null)):t.current=e}catch(s){k.__e(s,n)}}function Ne(t,e,n){var o,s,r,i;if(k.unmount&&k.unmount(t),!(o=t.ref)||o.current&&o.current!=t.__e||Te(o,null,e,t),o=t.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(a){k.__e(a,e)}o.__P=o.__n=null}if(o=t.__k)for(i=0;i<o.length;i++)o[i]&&Ne(o[i],e,typeof t.type!="function"||n&&!t.props.__P);!n&&(o=t.__c)&&(o=o.__z)&&(s=fe(o,r=[]))&&(o==t.__e&&r.some(J),J(s),J(o)),n||J(t.__e),t.__e=t.__c=t.__=null}function Ht(t,e,n){return this.constructor(t,n)}function Ce(t,e){var n,o,s,r;k.__&&k.__(t,e),e.nodeType==9&&(e=e.documentElement),o=(n=t&&32&t.__u)?null:e.__k,e.__k=Y(ee,{children:[t]}),s=[],r=[],Ee(e,e.__k,o||me,me,e.namespaceURI,o?null:e.firstChild?Se.call(e.childNodes):null,s,o?o.__e:e.firstChild,n,r),Ze(s,e.__k,r),e.__k.props.children=null}k={__e:function(t,e,n,o){for(var s,r,i;e=e.__;)if((s=e.__c)&&!(1&s.__g)){s.__g|=4;try{if((i=(r=s.constructor)&&r.getDerivedStateFromError)&&s.setState(r.getDerivedStateFromError(t)),s.componentDidCatch&&(s.componentDidCatch(t,o||{}),i=1),i&&8&s.__g)return void(s.__g|=2)}catch(a){t=a}}throw pe=0,t}},qe=0,Rt=function(t){return t!=null&&t.constructor===Z},_e.prototype.setState=function(t,e){var n=this.__s;n&&n!=this.state||(n=this.__s=z({},this.state)),typeof t=="function"&&(t=t(z({},n),this.props)),t&&(z(n,t),this.__v&&(e&&this.__k.push(e),He(this)))},_e.prototype.forceUpdate=function(t){this.__v&&(this.__g|=4,t&&this.__h.push(t),He(this))},_e.prototype.render=ee,B=[],pe=0,Ge=function(t,e){return t.__v.__b-e.__v.__b},de=Symbol(),je=/(PointerCapture)$|Capture$/i,be=0,ke={},At=0;var ne,N,De,et,Pe=Object.is,oe=0,ct=[],Ie=[],T=k,tt=T.__b,nt=T.__r,ot=T.diffed,rt=T.__c,st=T.unmount,it=T.__;function Re(t,e){T.__h&&T.__h(N,t,oe||e),oe=0;var n=N.__H||(N.__H={__:[],__h:[]});return t>=n.__.length&&n.__.push({}),n.__[t]}function v(t){return oe=1,Ft(dt,t)}function Ft(t,e,n){var o=Re(ne++,2);if(o.t=t,!o.__c&&(o.__=[n?n(e):dt(void 0,e),function(r){var i=(o.__N||o.__)[0],a=o.t(i,r);Pe(i,a)||(o.__N=[a,o.__[1]],o.__c.setState({}))}],o.__c=N,!N.__f)){N.__f=!0;var s=N.shouldComponentUpdate;N.shouldComponentUpdate=function(r,i,a){var l=this.__H;if(!l)return!0;var f=!1,u=this.props!=r;if(l.__.some(function(m){m.__N&&(f=!0,Pe(m.__[0],m.__N[0])||(u=!0))}),s){var _=s.call(this,r,i,a);return f?_||u:_}return!f||u}}return o.__}function x(t,e){var n=Re(ne++,3);!T.__s&&ut(n.__H,e)&&(n.__P=!0,n.__=t,n.u=e,N.__H.__h.push(n))}function H(t){return oe=5,Ae(function(){return{current:t}},[])}function Ae(t,e){var n=Re(ne++,7);return ut(n.__H,e)&&(n.__=t(),n.__H=e),n.__}function $e(t,e){return oe=8,Ae(function(){return t},e)}function qt(){var t;do{for(;t=Ie.shift();)try{te(t)}catch(n){T.__e(n,{__:(t=t.__P)&&t.__v})}for(;t=ct.shift();){var e=t.__H;if(t.__P&&e)try{e.__h.some(te),e.__h.some(Le),e.__h=[]}catch(n){e.__h=[],T.__e(n,t.__v)}}}while(Ie.length)}T.__b=function(t){N=null,tt&&tt(t)},T.__=function(t,e){t&&e.__k&&e.__k.__m&&(t.__m=e.__k.__m),it&&it(t,e)},T.__r=function(t){nt&&nt(t),ne=0;var e=(N=t.__c).__H;e&&(De==N?N.__h=[]:(e.__h.some(te),e.__h.some(Le),ne=0),e.__h=[],e.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),De=N},T.diffed=function(t){ot&&ot(t);var e=t.__c;e&&e.__H&&(e.__H.__h.length&&lt(ct.push(e)),e.__H.__.some(function(n){n.u&&(n.__H=n.u)})),De=N=null},T.__c=function(t,e){e.some(function(n){try{n.__h.some(te),n.__h=n.__h.filter(function(o){return!o.__||Le(o)})}catch(o){n.__h=[function(){throw o}]}}),rt&&rt(t,e)},T.unmount=function(t){st&&st(t);var e,n,o=t.__c;o&&o.__H&&(o.__H.__.some(function(s){try{if(s.__P&&s.__c){if(n===void 0){for(n=t.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}s.__P=n,lt(Ie.push(s))}else te(s)}catch(r){e=r}}),o.__H=void 0,e&&T.__e(e,o.__v))};var at=typeof requestAnimationFrame=="function";function Gt(t){var e,n=function(){clearTimeout(o),at&&cancelAnimationFrame(e),setTimeout(t)},o=setTimeout(n,35);at&&(e=requestAnimationFrame(n))}function lt(t){t!=1&&et==T.requestAnimationFrame||((et=T.requestAnimationFrame)||Gt)(qt)}function te(t){var e=N,n=t.__c;typeof n=="function"&&(t.__c=void 0,n()),N=e}function Le(t){var e=N;t.__c=t.__(),N=e}function ut(t,e){return!t||t.length!=e.length||e.some(function(n,o){return!Pe(n,t[o])})}function dt(t,e){return typeof e=="function"?e(t):e}var ft=function(t,e,n,o){var s;e[0]=0;for(var r=1;r<e.length;r++){var i=e[r++],a=e[r]?(e[0]|=i?1:2,n[e[r++]]):e[++r];i===3?o[0]=a:i===4?o[1]=Object.assign(o[1]||{},a):i===5?(o[1]=o[1]||{})[e[++r]]=a:i===6?o[1][e[++r]]+=a+"":i?(s=t.apply(a,ft(t,a,n,["",null])),o.push(s),a[0]?e[0]|=2:(e[r-2]=0,e[r]=s)):o.push(a)}return o},_t=new Map;function pt(t){var e=_t.get(this);return e||(e=new Map,_t.set(this,e)),(e=ft(this,e.get(t)||(e.set(t,e=(function(n){for(var o,s,r=1,i="",a="",l=[0],f=function(m){r===1&&(m||(i=i.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?l.push(0,m,i):r===3&&(m||i)?(l.push(3,m,i),r=2):r===2&&i==="..."&&m?l.push(4,m,0):r===2&&i&&!m?l.push(5,0,!0,i):r>=5&&((i||!m&&r===5)&&(l.push(r,0,i,s),r=6),m&&(l.push(r,m,0,s),r=6)),i=""},u=0;u<n.length;u++){u&&(r===1&&f(),f(u));for(var _=0;_<n[u].length;_++)o=n[u][_],r===1?o==="<"?(f(),l=[l],r=3):i+=o:r===4?i==="--"&&o===">"?(r=1,i=""):i=o+i[0]:a?o===a?a="":i+=o:o==='"'||o==="'"?a=o:o===">"?(f(),r=1):r&&(o==="="?(r=5,s=i,i=""):o==="/"&&(r<5||n[u][_+1]===">")?(f(),r===3&&(l=l[0]),r=l,(l=l[0]).push(2,0,r),r=0):o===" "||o==="	"||o===`
`||o==="\r"?(f(),r=2):i+=o),r===3&&i==="!--"&&(r=4,l=l[0])}return f(),l})(t)),e),arguments,[])).length>1?e:e[0]}var c=pt.bind(Ke);var We=class extends Error{constructor(e,n){super(n.detail||n.title||`HTTP ${e}`),this.status=e,this.title=n.title||`HTTP ${e}`,this.violations=Array.isArray(n.field_violations)?n.field_violations:[]}},F=encodeURIComponent,ve=t=>`/workflows/${F(t.workflow_id)}/executions/${F(t.workflow_execution_id)}`;function re(t){let e=new URLSearchParams;for(let[o,s]of Object.entries(t))s!=null&&s!==""&&e.set(o,String(s));let n=e.toString();return n?`?${n}`:""}var A={csrfToken:null,required:!1,onEnded:()=>{}};function mt(t,e){A.required=t.auth==="required",A.csrfToken=t.signed_in?t.csrf_token:null,A.onEnded=e}async function D(t,e,n,o={}){let s={method:t,headers:{Accept:"application/json"},signal:o.signal};t!=="GET"&&A.csrfToken&&(s.headers["X-CSRF-Token"]=A.csrfToken),n instanceof Blob?(s.body=n,s.headers["Content-Type"]=n.type||"application/octet-stream",Object.assign(s.headers,o.headers||{})):n!==void 0&&(s.body=JSON.stringify(n),s.headers["Content-Type"]="application/json");let r=await fetch(e,s),i=await r.text(),a={};if(i)try{a=JSON.parse(i)}catch{a={title:`HTTP ${r.status}`,detail:i.slice(0,200)}}if(r.status===401&&A.required&&!o.signingIn&&(A.csrfToken=null,A.onEnded(a.detail||"The session has ended.")),!r.ok)throw new We(r.status,a);return a}var y={session:()=>D("GET","/ui/session"),signIn:t=>D("POST","/ui/session",{api_key:t},{signingIn:!0}),signOut:()=>D("DELETE","/ui/session"),checkSession:async()=>{if(!A.required)return;let t=await D("GET","/ui/session");t.signed_in||A.onEnded(t.ended||"The session has ended.")},listWorkflows:({pageSize:t,pageToken:e}={},n)=>D("GET",`/workflows${re({page_size:t,page_token:e})}`,void 0,{signal:n}),getWorkflow:(t,e,n)=>D("GET",`/workflows/${F(t)}${re({workflow_version:e})}`,void 0,{signal:n}),listExecutions:(t,{status:e,pageSize:n,pageToken:o,view:s}={},r)=>D("GET",`/workflows/${F(t)}/executions${re({status:e,page_size:n,page_token:o,view:s})}`,void 0,{signal:r}),executeWorkflow:(t,e)=>D("POST",`/workflows/${F(t)}/executions`,e),getExecution:(t,e)=>D("GET",`/executions/${F(t)}`,void 0,{signal:e}),cancelExecution:t=>D("POST",`${ve(t)}/cancel`,{}),retryExecution:t=>D("POST",`${ve(t)}/retry`,{}),listWebhookDeliveries:(t,e)=>D("GET",`${ve(t)}/webhook-deliveries`,void 0,{signal:e}),redeliverWebhook:t=>D("POST",`/webhook-deliveries/${F(t)}/redeliver`,{}),uploadFile:t=>D("POST",`/files${re({name:t.name})}`,t),fileContentUrl:t=>`/files/${F(t)}/content`,eventsUrl:(t,e)=>`${ve(t)}/events${re({last_event_id:e})}`};var ht=["PENDING","RUNNING","COMPLETED","FAILED","CANCELLED"],se=new Set(["PENDING","RUNNING"]);function I(t){if(!t)return null;let e=Date.parse(t);return Number.isNaN(e)?null:e}function $t(t){let e=I(t);return e===null?"\u2014":new Date(e).toLocaleString(void 0,{year:"numeric",month:"short",day:"numeric",hour:"2-digit",minute:"2-digit",second:"2-digit"})}function q(t){if(t==null||Number.isNaN(t))return"\u2014";if(t<1e3)return`${Math.max(0,Math.round(t))} ms`;let e=t/1e3;if(e<60)return`${e.toFixed(e<10?2:1)} s`;let n=Math.floor(e/60);return n<60?`${n} min ${Math.round(e%60)} s`:`${Math.floor(n/60)} h ${n%60} min`}function X(t,e,n=Date.now()){let o=I(t);return o===null?null:(I(e)??n)-o}function vt(t){let e=Number(t);return Number.isFinite(e)?e<1024?`${e} B`:e<1024*1024?`${(e/1024).toFixed(1)} KiB`:`${(e/1024/1024).toFixed(1)} MiB`:""}function gt(t){return t!==null&&typeof t=="object"&&!Array.isArray(t)&&typeof t.file_id=="string"&&t.file_id!==""}var yt="/ui",Oe="dataflow:navigate";function G(t,{replace:e=!1}={}){e?history.replaceState(null,"",t):history.pushState(null,"",t),window.dispatchEvent(new Event(Oe))}function ie(t){let e=new URLSearchParams(location.search);for(let[o,s]of Object.entries(t))s==null||s===""?e.delete(o):e.set(o,String(s));let n=e.toString();G(`${location.pathname}${n?`?${n}`:""}`,{replace:!0})}function wt(t){let e=t.startsWith(yt)?t.slice(yt.length):t,n;return e===""||e==="/"?{view:"workflows"}:(n=e.match(/^\/workflows\/([^/]+)\/?$/))?{view:"workflow",id:decodeURIComponent(n[1])}:(n=e.match(/^\/executions\/([^/]+)\/?$/))?{view:"execution",id:decodeURIComponent(n[1])}:{view:"not-found"}}function kt(){let t=()=>({pathname:location.pathname,search:location.search}),[e,n]=v(t);return x(()=>{let o=()=>n(t());return window.addEventListener("popstate",o),window.addEventListener(Oe,o),()=>{window.removeEventListener("popstate",o),window.removeEventListener(Oe,o)}},[]),e}var jt={PENDING:"\u25CB",RUNNING:"\u25D4",COMPLETED:"\u2713",DELIVERED:"\u2713",FAILED:"\u2715",CANCELLED:"\u2298",SKIPPED:"\u21B7"};function R({status:t}){let e=t||"UNKNOWN";return c`<span class=${`status status-${e.toLowerCase()}`} data-status=${e}>
    <span class="status-icon" aria-hidden="true">${jt[e]||"?"}</span>
    ${e}
  </span>`}function S({href:t,children:e,...n}){return c`<a href=${t} onClick=${s=>{s.button!==0||s.metaKey||s.ctrlKey||s.shiftKey||s.altKey||(s.preventDefault(),G(t))}} ...${n}>${e}</a>`}var ae=t=>`/ui/workflows/${encodeURIComponent(t)}`,ge=t=>`/ui/executions/${encodeURIComponent(t)}`;function P({value:t}){return t?c`<time datetime=${t} title=${t}>${$t(t)}</time>`:"\u2014"}function C({error:t,title:e="Request failed"}){if(!t)return null;let n=t.violations||[];return c`<div class="error-box" role="alert">
    <strong>${t.title||e}</strong>
    <p>${t.message}</p>
    ${n.length>0&&c`<ul>
      ${n.map(o=>c`<li><code>${o.field}</code>: ${o.description}</li>`)}
    </ul>`}
  </div>`}function O({what:t="Loading"}){return c`<p class="muted" aria-live="polite">${t}…</p>`}function le({value:t}){return c`<pre class="json">${JSON.stringify(t,null,2)}</pre>`}function Kt({file:t}){let e=y.fileContentUrl(t.file_id),n=t.content_type||"",o=t.name||t.file_id,s=null;return n.startsWith("audio/")?s=c`<audio controls preload="metadata" src=${e} aria-label=${`Play ${o}`}></audio>`:n.startsWith("image/")?s=c`<img class="preview" src=${e} alt=${o} loading="lazy" />`:n.startsWith("video/")&&(s=c`<video controls preload="metadata" src=${e} aria-label=${o}></video>`),c`<div class="file">
    ${s}
    <div>
      <a href=${e} download=${o}>Download ${o}</a>
      <span class="muted"> ${n} ${vt(t.size_bytes)}</span>
    </div>
  </div>`}function Jt({value:t}){return t==null?c`<span class="muted">—</span>`:gt(t)?c`<${Kt} file=${t} />`:typeof t=="string"?c`<pre class="text">${t}</pre>`:typeof t=="number"||typeof t=="boolean"?c`<code>${String(t)}</code>`:c`<${le} value=${t} />`}function Q({values:t,empty:e="None"}){let n=Object.entries(t||{});return n.length===0?c`<p class="muted">${e}</p>`:c`<dl class="values">
    ${n.map(([o,s])=>c`<div class="value-row">
        <dt>${o}</dt>
        <dd><${Jt} value=${s} /></dd>
      </div>`)}
  </dl>`}function bt({hasPrevious:t,nextToken:e,onPrevious:n,onNext:o,label:s}){return!t&&!e?null:c`<nav class="pager" aria-label=${s}>
    <button type="button" onClick=${n} disabled=${!t}>← Previous</button>
    <button type="button" onClick=${o} disabled=${!e}>Next →</button>
  </nav>`}function M(t,e){let[n,o]=v({data:null,error:null,loading:!0}),s=H(null),r=$e(()=>{s.current?.abort();let a=new AbortController;s.current=a,o(l=>({...l,loading:!0})),t(a.signal).then(l=>!a.signal.aborted&&o({data:l,error:null,loading:!1}),l=>!a.signal.aborted&&o({data:null,error:l,loading:!1}))},e);x(()=>(r(),()=>s.current?.abort()),[r]);let i=$e(a=>{o(l=>({...l,data:typeof a=="function"?a(l.data):a}))},[]);return{...n,reload:r,setData:i}}function xt(t,e=1e3){let[n,o]=v(Date.now());return x(()=>{if(!t)return;let s=setInterval(()=>o(Date.now()),e);return()=>clearInterval(s)},[t,e]),n}var zt=["execution.pending","execution.running","execution.completed","execution.failed","execution.cancelled","task.running","task.completed","task.failed","task.skipped","task.retrying","task.cancelled"],Xt=new Set(["execution.completed","execution.failed","execution.cancelled"]),Qt=5e3;function St(t,e,n,o){let[s,r]=v("idle"),i=H(null),a=H(o);return a.current=o,x(()=>{if(!n||!t)return;let l=null,f=null,u=!1,_=250,m=()=>{r(i.current===null?"connecting":"reconnecting"),l=new EventSource(y.eventsUrl({workflow_id:t,workflow_execution_id:e},i.current)),l.onopen=()=>{_=250,r("live")};let d=p=>{p.lastEventId&&(i.current=p.lastEventId);let h;try{h=JSON.parse(p.data)}catch{return}a.current(h),Xt.has(p.type)&&(u=!0,l.close(),r("ended"))};for(let p of zt)l.addEventListener(p,d);l.onerror=()=>{l.close(),!u&&(y.checkSession().catch(()=>{}),r("reconnecting"),f=setTimeout(m,_),_=Math.min(_*2,Qt))}};return m(),()=>{u=!0,clearTimeout(f),l?.close()}},[t,e,n]),s}var Yt=.8;function Zt(t,e){let n=new Map((t.tasks||[]).map(i=>[i.name,i])),o=e?.tasks||[],s=o.map(i=>({definition:i,run:n.get(i.name)||{name:i.name,type:i.type,status:"PENDING"}})),r=new Set(o.map(i=>i.name));for(let i of t.tasks||[])r.has(i.name)||s.push({definition:null,run:i});return s}function en(t,e,n){let o=e.map(a=>I(a.run.started_at)).filter(a=>a!==null),s=e.map(a=>I(a.run.completed_at)).filter(a=>a!==null),r=I(t.started_at)??(o.length?Math.min(...o):I(t.created_at)),i=I(t.completed_at)??Math.max(n,...s);return{start:r,span:Math.max(i-r,1)}}function tn({items:t}){return c`<h4>Items</h4>
    <div class="table-wrap"><table class="items">
      <thead><tr><th scope="col">#</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
      <tbody>
        ${t.map(e=>c`<tr key=${e.index}>
            <td>${e.index??0}</td>
            <td><${R} status=${e.status} /></td>
            <td>${e.attempts||0}</td>
            <td>${q(X(e.started_at,e.completed_at))}</td>
            <td>${e.error?`${e.error.code}: ${e.error.message}`:""}</td>
          </tr>`)}
      </tbody>
    </table></div>`}function nn({row:t}){let{run:e,definition:n}=t;return c`<div class="task-details">
    <dl class="facts">
      <div><dt>Type</dt><dd>${e.type||n?.type}</dd></div>
      <div><dt>Status</dt><dd><${R} status=${e.status} /></dd></div>
      <div><dt>Attempts</dt><dd>${e.attempts||0}</dd></div>
      <div><dt>Started</dt><dd><${P} value=${e.started_at} /></dd></div>
      <div><dt>Completed</dt><dd><${P} value=${e.completed_at} /></dd></div>
    </dl>
    ${e.skip_reason&&c`<p>Skipped: ${e.skip_reason}</p>`}
    ${e.error&&c`<${C} error=${{title:e.error.code,message:e.error.message}} />`}
    ${(e.items||[]).length>0&&c`<${tn} items=${e.items} />`}
    ${e.inputs!==void 0?c`<h4>Inputs (resolved)</h4><${Q} values=${e.inputs} />`:n&&c`<h4>Inputs (as defined)</h4><${le} value=${n.inputs||{}} />`}
    <h4>Outputs</h4>
    <${Q}
      values=${e.outputs}
      empty=${e.status==="PENDING"||e.status==="RUNNING"?"No outputs yet.":"No outputs."}
    />
  </div>`}function on({row:t,range:e,now:n}){let[o,s]=v(!1),{run:r}=t,i=I(r.started_at),a;if(i===null)a=c`<div class="tl-bar tl-none">not started</div>`;else{let f=I(r.completed_at)??n,u=Math.min(Math.max((f-i)/e.span*100,Yt),100),_=Math.min(Math.max((i-e.start)/e.span*100,0),100-u);a=c`<div
      class=${`tl-bar tl-${(r.status||"").toLowerCase()}`}
      style=${{left:`${_}%`,width:`${u}%`}}
    ></div>`}let l=`task-${r.name}-details`;return c`<li class="tl-row" data-task=${r.name}>
    <button type="button" class="tl-name" aria-expanded=${o?"true":"false"} aria-controls=${l}
      onClick=${()=>s(!o)}>
      <span aria-hidden="true">${o?"\u25BE":"\u25B8"}</span> ${r.name}
    </button>
    <div class="tl-track">${a}</div>
    <div class="tl-status">
      <${R} status=${r.status} />
      <span class="muted">${q(X(r.started_at,r.completed_at,n))}</span>
    </div>
    ${o&&c`<div id=${l} class="tl-details"><${nn} row=${t} /></div>`}
  </li>`}function Et({execution:t,definition:e,now:n}){let o=Zt(t,e);if(o.length===0)return c`<p class="muted">No tasks.</p>`;let s=en(t,o,n);return c`<div class="timeline">
    <div class="tl-axis" aria-hidden="true">
      <span></span>
      <div class="tl-ticks">
        ${[0,.25,.5,.75,1].map(i=>c`<span style=${{left:`${i*100}%`}}>${q(s.span*i)}</span>`)}
      </div>
      <span></span>
    </div>
    <ol class="tl-rows">
      ${o.map(i=>c`<${on} key=${i.run.name} row=${i} range=${s} now=${n} />`)}
    </ol>
  </div>`}var rn=1e3,sn=3e4;function an(t,e=Date.now()){let n=t.filter(o=>o.status==="PENDING").map(o=>(I(o.next_attempt_at)??e)-e);return n.length===0?null:Math.min(Math.max(Math.min(...n),rn),sn)}function ln(t){let e=t.attempts||[],n=e[e.length-1];return n?n.error?n.error:`HTTP ${n.status_code} in ${n.latency_ms??"?"} ms`:"\u2014"}function Tt({execution:t,refreshKey:e}){let n=t.workflow_execution_id,[o,s]=v(0),[r,i]=v(null),a=M(_=>y.listWebhookDeliveries(t,_),[n,e,o]),l=async _=>{i(null);try{await y.redeliverWebhook(_),s(m=>m+1)}catch(m){i(m)}},f=a.data?.deliveries||[],u=an(f);return x(()=>{if(u===null)return;let _=setTimeout(a.reload,u);return()=>clearTimeout(_)},[a.data,u]),c`<section aria-labelledby="webhooks-heading">
    <h2 id="webhooks-heading">Webhook deliveries</h2>
    <p class="muted">To <code>${t.monitoring.webhook}</code></p>
    <${C} error=${a.error||r} />
    ${a.data&&f.length===0&&c`<p class="empty">No deliveries yet.</p>`}
    ${f.length>0&&c`<div class="table-wrap"><table class="deliveries">
      <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last attempt</th><th scope="col">Next attempt</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>
        ${f.map(_=>c`<tr key=${_.webhook_id}>
            <td><code>${_.event_type}</code> <span class="muted">#${_.sequence}</span></td>
            <td><${R} status=${_.status} /></td>
            <td>${_.attempt_count||0}</td>
            <td>${ln(_)}</td>
            <td><${P} value=${_.status==="PENDING"?_.next_attempt_at:void 0} /></td>
            <td><button type="button" onClick=${()=>l(_.webhook_id)} aria-label=${`Redeliver ${_.event_type} #${_.sequence}`}>Redeliver</button></td>
          </tr>`)}
      </tbody>
    </table></div>`}
  </section>`}var cn=200,un={connecting:"Connecting\u2026",live:"Live",reconnecting:"Reconnecting\u2026",ended:"Finished"};function dn(t,e){let n={...t};return e.status&&e.type.startsWith("execution.")&&(n.status=e.status),e.task_name&&(n.tasks=(t.tasks||[]).map(o=>{if(o.name!==e.task_name)return o;let s={...o,status:e.task_status||o.status};return e.attempt&&(s.attempts=e.attempt),e.type==="task.running"&&!o.started_at&&(s.started_at=e.timestamp),["task.completed","task.failed","task.cancelled"].includes(e.type)&&(s.completed_at=e.timestamp),e.error&&(s.error=e.error),s})),n}function _n({execution:t,onChange:e}){let[n,o]=v(!1),[s,r]=v(null),i=f=>async()=>{o(!0),r(null);try{let u=await f(t);e(u)}catch(u){r(u)}finally{o(!1)}},a=se.has(t.status),l=t.status==="FAILED"||t.status==="CANCELLED";return c`<div class="actions">
    ${a&&c`<button type="button" class="danger" disabled=${n} onClick=${i(y.cancelExecution)}>Cancel execution</button>`}
    ${l&&c`<button type="button" disabled=${n} onClick=${i(y.retryExecution)}>Retry execution</button>`}
    <${C} error=${s} />
  </div>`}function Nt({executionId:t}){let e=M(p=>y.getExecution(t,p),[t]),n=e.data,o=n?.workflow_id,s=n?.workflow_version,i=M(p=>o?y.getWorkflow(o,s,p):Promise.resolve(null),[o,s]).data,a=!!(n&&se.has(n.status)),l=xt(a),[f,u]=v(0),_=H(null),m=()=>{_.current||(_.current=setTimeout(()=>{_.current=null,y.getExecution(t).then(p=>e.setData(p),()=>{}),u(p=>p+1)},cn))};x(()=>()=>clearTimeout(_.current),[]);let d=St(o,t,a,p=>{p.execution?e.setData(p.execution):e.setData(h=>h&&dn(h,p)),m()});return x(()=>{document.title=`${t} \xB7 ${n?.status||"\u2026"} \xB7 Dataflow`},[t,n?.status]),e.error?c`<section><h1><code>${t}</code></h1><${C} error=${e.error} /></section>`:n?c`<article class="execution">
    <nav class="breadcrumbs" aria-label="Breadcrumbs">
      <${S} href="/ui/">Workflows</${S}>${" / "}<${S} href=${ae(n.workflow_id)}>${i?.title||n.workflow_id}</${S}>${" / "}<code>${n.workflow_execution_id}</code>
    </nav>
    <div class="page-head">
      <h1>Execution <code>${n.workflow_execution_id}</code></h1>
      <div class="head-status">
        <${R} status=${n.status} />
        ${(a||d==="ended")&&c`<span class=${`live live-${d}`} aria-live="polite">${un[d]||""}</span>`}
      </div>
    </div>
    <dl class="facts">
      <div><dt>Workflow</dt><dd><${S} href=${ae(n.workflow_id)}><code>${n.workflow_id}</code></${S}></dd></div>
      <div><dt>Version</dt><dd>v${n.workflow_version}</dd></div>
      <div><dt>Created</dt><dd><${P} value=${n.created_at} /></dd></div>
      <div><dt>Started</dt><dd><${P} value=${n.started_at} /></dd></div>
      <div><dt>Completed</dt><dd><${P} value=${n.completed_at} /></dd></div>
      <div><dt>Duration</dt><dd>${q(X(n.started_at,n.completed_at,l))}</dd></div>
    </dl>
    <${_n} execution=${n} onChange=${p=>p&&e.setData(p)} />
    ${n.error&&c`<${C}
      error=${{title:`${n.error.code}${n.error.task_name?` in task ${n.error.task_name}`:""}`,message:n.error.message}}
    />`}
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Tasks</h2>
      <${Et} execution=${n} definition=${i} now=${l} />
    </section>
    <div class="columns">
      <section aria-labelledby="outputs-heading">
        <h2 id="outputs-heading">Outputs</h2>
        <${Q} values=${n.outputs} empty=${a?"Not yet: the execution is running.":"No outputs."} />
      </section>
      <section aria-labelledby="inputs-heading">
        <h2 id="inputs-heading">Inputs</h2>
        <${Q} values=${n.inputs} />
      </section>
    </div>
    ${n.monitoring?.webhook&&c`<${Tt} execution=${n} refreshKey=${f} />`}
  </article>`:c`<${O} what="Loading execution" />`}function Ct({onSignedIn:t,notice:e}){let[n,o]=v(""),[s,r]=v(""),[i,a]=v(!1),l=async f=>{f.preventDefault(),a(!0);try{let u=await y.signIn(n.trim());o(""),t(u)}catch(u){r(u.message),a(!1)}};return c`<section class="sign-in">
    <h1>Sign in</h1>
    <p>This server requires an API key. The console keeps a session in a cookie; the key itself is not stored in the browser.</p>
    ${e&&c`<p class="notice" role="status">${e}</p>`}
    <form onSubmit=${l}>
      <div class="field">
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api_key"
          type="password"
          autocomplete="off"
          spellcheck="false"
          required
          value=${n}
          onInput=${f=>o(f.currentTarget.value)}
          aria-invalid=${s?"true":void 0}
          aria-describedby=${s?"api-key-problem":void 0}
        />
        ${s&&c`<span id="api-key-problem" class="field-error" role="alert">${s}</span>`}
      </div>
      <button type="submit" class="primary" disabled=${i}>Sign in</button>
    </form>
  </section>`}function Dt({session:t,onSignedOut:e}){let n=async()=>{try{await y.signOut()}finally{e()}};return c`<div class="session-bar">
    <span>Tenant <strong class="tenant">${t.tenant_id}</strong> (${t.scope})</span>
    <button type="button" onClick=${n}>Sign out</button>
  </div>`}var Me=t=>t.required!==!1&&t.default===void 0;function fn(t){return t.type==="boolean"?t.default===!0:t.default===void 0||t.type==="file"?"":t.type==="json"?JSON.stringify(t.default,null,2):String(t.default)}async function pn(t,e){switch(t.type){case"boolean":return e;case"file":return e?{file_id:(await y.uploadFile(e)).file_id}:void 0;case"number":case"integer":return e===""?void 0:Number(e);case"json":if(e.trim()==="")return;try{return JSON.parse(e)}catch{throw new Ue(t.name,"is not valid JSON")}default:return e===""&&!Me(t)?void 0:e}}var Ue=class extends Error{constructor(e,n){super(n),this.violations=[{field:`inputs.${e}`,description:n}],this.title="Check the inputs"}};function mn({input:t,value:e,onChange:n,problems:o}){let s=`input-${t.name}`,r=[t.description&&`${s}-help`,o.length&&`${s}-error`].filter(Boolean).join(" "),i={id:s,name:t.name,"aria-describedby":r||void 0,"aria-invalid":o.length?"true":void 0,required:Me(t)&&t.type!=="boolean"},a;return t.type==="boolean"?a=c`<input type="checkbox" ...${i} checked=${e} onChange=${l=>n(l.currentTarget.checked)} />`:t.type==="file"?a=c`<input type="file" ...${i} onChange=${l=>n(l.currentTarget.files[0]||"")} />`:t.type==="number"||t.type==="integer"?a=c`<input type="number" step=${t.type==="integer"?"1":"any"} ...${i} value=${e} onInput=${l=>n(l.currentTarget.value)} />`:a=c`<textarea rows=${t.type==="json"?4:2} ...${i} class=${t.type==="json"?"mono":""} value=${e} onInput=${l=>n(l.currentTarget.value)}></textarea>`,c`<div class=${`field field-${t.type}`}>
    <label for=${s}>${t.name} <span class="muted">(${t.type}${Me(t)?", required":""})</span></label>
    ${a}
    ${t.description&&c`<small id=${`${s}-help`} class="muted">${t.description}</small>`}
    ${o.length>0&&c`<span id=${`${s}-error`} class="field-error" role="alert">${o.join("; ")}</span>`}
  </div>`}function Pt({workflow:t}){let e=t.inputs||[],[n,o]=v(()=>Object.fromEntries(e.map(h=>[h.name,fn(h)]))),[s,r]=v(""),[i,a]=v(null),[l,f]=v(!1),u=i?.violations||[],_=h=>u.filter($=>$.field===h||$.field.startsWith(`${h}.`)).map($=>$.description),m=new Set([...e.map(h=>`inputs.${h.name}`),"monitoring.webhook"]),d=u.filter(h=>![...m].some($=>h.field===$||h.field.startsWith(`${$}.`))),p=async h=>{h.preventDefault(),f(!0),a(null);try{let $={inputs:{}};for(let g of e){let E=await pn(g,n[g.name]);E!==void 0&&($.inputs[g.name]=E)}s.trim()&&($.monitoring={webhook:s.trim()});let w=await y.executeWorkflow(t.workflow_id,$);G(`/ui/executions/${encodeURIComponent(w.workflow_execution_id)}`)}catch($){a($),f(!1)}};return c`<section aria-labelledby="run-heading" class="run-form">
    <h2 id="run-heading">Run</h2>
    <p class="muted">Runs the latest version, v${t.workflow_version}.</p>
    <form onSubmit=${p} novalidate>
      ${e.map(h=>c`<${mn}
          key=${h.name}
          input=${h}
          value=${n[h.name]}
          problems=${_(`inputs.${h.name}`)}
          onChange=${$=>o(w=>({...w,[h.name]:$}))}
        />`)}
      <div class="field">
        <label for="webhook-url">Webhook URL <span class="muted">(optional)</span></label>
        <input id="webhook-url" type="url" name="webhook" placeholder="https://example.com/webhook"
          value=${s} onInput=${h=>r(h.currentTarget.value)}
          aria-invalid=${_("monitoring.webhook").length?"true":void 0} />
        ${_("monitoring.webhook").length>0&&c`<span class="field-error" role="alert">${_("monitoring.webhook").join("; ")}</span>`}
      </div>
      ${i&&(d.length>0||u.length===0)&&c`<${C} error=${{...i,violations:d}} title="Not started" />`}
      <button type="submit" class="primary" disabled=${l}>${l?"Starting\u2026":"Run workflow"}</button>
    </form>
  </section>`}var hn=20,$n=3e3;function vn({workflow:t}){return c`<section aria-labelledby="definition-heading">
    <h2 id="definition-heading">Definition</h2>
    <h3>Inputs</h3>
    ${(t.inputs||[]).length===0?c`<p class="muted">No inputs.</p>`:c`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Default</th><th scope="col">Description</th></tr></thead>
          <tbody>
            ${t.inputs.map(e=>c`<tr>
                <td><code>${e.name}</code></td>
                <td>${e.type}</td>
                <td>${e.required===!1||e.default!==void 0?"no":"yes"}</td>
                <td>${e.default===void 0?"\u2014":c`<code>${JSON.stringify(e.default)}</code>`}</td>
                <td>${e.description}</td>
              </tr>`)}
          </tbody>
        </table></div>`}
    <h3>Tasks</h3>
    <ol class="task-defs">
      ${(t.tasks||[]).map(e=>c`<li>
          <details>
            <summary><code>${e.name}</code> <span class="tag">${e.type}</span>
              ${e.description&&c` <span class="muted">${e.description}</span>`}</summary>
            <${le} value=${e.inputs||{}} />
            ${e.retry&&c`<p>Retry: <code>${JSON.stringify(e.retry)}</code></p>`}
            ${e.timeout_seconds!==void 0&&c`<p>Timeout: ${e.timeout_seconds} s</p>`}
          </details>
        </li>`)}
    </ol>
    <h3>Outputs</h3>
    ${(t.outputs||[]).length===0?c`<p class="muted">No outputs.</p>`:c`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Value</th></tr></thead>
          <tbody>
            ${t.outputs.map(e=>c`<tr>
                <td><code>${e.name}</code></td>
                <td>${e.type}</td>
                <td><code>${JSON.stringify(e.value)}</code></td>
              </tr>`)}
          </tbody>
        </table></div>`}
  </section>`}function gn({workflowId:t,status:e}){let[n,o]=v([""]);x(()=>o([""]),[t,e]);let s=n[n.length-1],r=M(l=>y.listExecutions(t,{status:e,pageSize:hn,pageToken:s,view:"EXECUTION_VIEW_BASIC"},l),[t,e,s]),i=r.data?.executions||[],a=i.some(l=>se.has(l.status));return x(()=>{if(!a)return;let l=setTimeout(r.reload,$n);return()=>clearTimeout(l)},[r.data,a]),c`<section aria-labelledby="executions-heading">
    <div class="page-head">
      <h2 id="executions-heading">Executions</h2>
      <div class="inline-field">
        <label for="status-filter">Status</label>
        <select id="status-filter" value=${e} onChange=${l=>ie({status:l.currentTarget.value})}>
          <option value="">All</option>
          ${ht.map(l=>c`<option value=${l}>${l}</option>`)}
        </select>
      </div>
    </div>
    <${C} error=${r.error} />
    ${r.loading&&!r.data&&c`<${O} what="Loading executions" />`}
    ${r.data&&i.length===0&&c`<p class="empty">${e?`No ${e} executions.`:"No executions yet."}</p>`}
    ${i.length>0&&c`<div class="table-wrap">
      <table class="executions">
        <thead><tr><th scope="col">Execution</th><th scope="col">Status</th><th scope="col">Version</th><th scope="col">Created</th><th scope="col">Duration</th></tr></thead>
        <tbody>
          ${i.map(l=>c`<tr key=${l.workflow_execution_id}>
              <td><${S} href=${ge(l.workflow_execution_id)}><code>${l.workflow_execution_id}</code></${S}></td>
              <td><${R} status=${l.status} /></td>
              <td>v${l.workflow_version}</td>
              <td><${P} value=${l.created_at} /></td>
              <td>${q(X(l.started_at,l.completed_at))}</td>
            </tr>`)}
        </tbody>
      </table>
    </div>`}
    <${bt}
      label="Executions pages"
      hasPrevious=${n.length>1}
      nextToken=${r.data?.next_page_token}
      onPrevious=${()=>o(l=>l.slice(0,-1))}
      onNext=${()=>o(l=>[...l,r.data.next_page_token])}
    />
  </section>`}function It({workflowId:t,params:e}){let n=Number(e.get("version"))||void 0,o=e.get("status")||"",s=M(u=>y.getWorkflow(t,void 0,u),[t]),r=M(u=>n?y.getWorkflow(t,n,u):Promise.resolve(null),[t,n]),i=s.data,a=n&&r.data||i;x(()=>{document.title=`${a?.title||t} \xB7 Dataflow`},[a?.title,t]);let l=c`<${gn} workflowId=${t} status=${o} />`;if(s.error)return c`<section><h1><code>${t}</code></h1><${C} error=${s.error} /></section>`;if(!i)return c`<article><${O} what="Loading workflow" />${l}</article>`;let f=[];for(let u=i.workflow_version;u>=1;u-=1)f.push(u);return c`<article class="workflow">
    <nav class="breadcrumbs" aria-label="Breadcrumbs"><${S} href="/ui/">Workflows</${S}> / <code>${t}</code></nav>
    <div class="page-head">
      <h1>${a.title||t}</h1>
      <div class="inline-field">
        <label for="version-select">Version</label>
        <select
          id="version-select"
          value=${String(a.workflow_version)}
          onChange=${u=>{let _=Number(u.currentTarget.value);ie({version:_===i.workflow_version?"":_})}}
        >
          ${f.map(u=>c`<option value=${String(u)}>v${u}${u===i.workflow_version?" (latest)":""}</option>`)}
        </select>
      </div>
    </div>
    ${a.description&&c`<p class="lead">${a.description}</p>`}
    <p class="muted">
      <code>${t}</code> · created <${P} value=${a.created_at} />
      ${i.state==="WORKFLOW_STATE_ARCHIVED"&&c` · <span class="tag">archived</span>`}
    </p>
    <${C} error=${r.error} />
    <div class="columns">
      <${vn} workflow=${a} />
      <${Pt} workflow=${i} />
    </div>
    ${l}
  </article>`}var yn=50,wn=5;function kn({workflowId:t}){let[e,n]=v({executions:null,error:null});return x(()=>{let o=new AbortController;return y.listExecutions(t,{pageSize:wn,view:"EXECUTION_VIEW_BASIC"},o.signal).then(s=>n({executions:s.executions||[],error:null}),s=>!o.signal.aborted&&n({executions:[],error:s})),()=>o.abort()},[t]),e.error?c`<span class="muted">unavailable</span>`:e.executions===null?c`<span class="muted">…</span>`:e.executions.length===0?c`<span class="muted">never run</span>`:c`<ul class="recent">
    ${e.executions.map(o=>c`<li>
        <${S} href=${ge(o.workflow_execution_id)} title=${o.workflow_execution_id}>
          <${R} status=${o.status} />
        </${S}>
      </li>`)}
  </ul>`}function Lt({params:t}){let e=t.get("q")||"",[n,o]=v({workflows:[],nextToken:"",error:null,loading:!0}),s=a=>{o(l=>({...l,loading:!0})),y.listWorkflows({pageSize:yn,pageToken:a}).then(l=>o(f=>({workflows:a?[...f.workflows,...l.workflows||[]]:l.workflows||[],nextToken:l.next_page_token||"",error:null,loading:!1})),l=>o(f=>({...f,error:l,loading:!1})))};x(()=>{document.title="Workflows \xB7 Dataflow",s("")},[]);let r=e.trim().toLowerCase(),i=r?n.workflows.filter(a=>(a.title||"").toLowerCase().includes(r)):n.workflows;return c`<section>
    <div class="page-head">
      <h1>Workflows</h1>
      <form class="search" role="search" onSubmit=${a=>a.preventDefault()}>
        <label for="workflow-search">Search by title</label>
        <input
          id="workflow-search"
          type="search"
          value=${e}
          onInput=${a=>ie({q:a.currentTarget.value})}
        />
      </form>
    </div>
    <${C} error=${n.error} />
    ${n.loading&&n.workflows.length===0&&c`<${O} what="Loading workflows" />`}
    ${!n.loading&&n.workflows.length===0&&!n.error&&c`<p class="empty">No workflows yet. Create one with <code>POST /workflows</code>.</p>`}
    ${i.length>0&&c`<div class="table-wrap">
      <table class="workflows">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Latest version</th>
            <th scope="col">Updated</th>
            <th scope="col">Recent executions</th>
          </tr>
        </thead>
        <tbody>
          ${i.map(a=>c`<tr key=${a.workflow_id}>
              <td>
                <${S} href=${ae(a.workflow_id)} class="title">${a.title||a.workflow_id}</${S}>
                ${a.description&&c`<div class="muted description">${a.description}</div>`}
                ${a.state==="WORKFLOW_STATE_ARCHIVED"&&c`<span class="tag">archived</span>`}
              </td>
              <td>v${a.workflow_version}</td>
              <td><${P} value=${a.updated_at||a.created_at} /></td>
              <td><${kn} workflowId=${a.workflow_id} /></td>
            </tr>`)}
        </tbody>
      </table>
    </div>`}
    ${r&&i.length===0&&n.workflows.length>0&&c`<p class="empty">No loaded workflow has “${e}” in its title.</p>`}
    ${n.nextToken&&c`<p>
      <button type="button" onClick=${()=>s(n.nextToken)} disabled=${n.loading}>
        Load more workflows
      </button>
      ${r&&c`<span class="muted"> (search covers the workflows loaded so far)</span>`}
    </p>`}
  </section>`}function bn(){let[t,e]=v(""),[n,o]=v("");return c`<form class="id-box" role="search" onSubmit=${r=>{r.preventDefault();let i=t.trim();if(i.startsWith("we-"))G(`/ui/executions/${encodeURIComponent(i)}`);else if(i.startsWith("wf-"))G(`/ui/workflows/${encodeURIComponent(i)}`);else{o("Enter a workflow id (wf-\u2026) or an execution id (we-\u2026).");return}o(""),e("")}}>
    <label for="goto-id">Go to id</label>
    <input
      id="goto-id"
      name="id"
      placeholder="we-… or wf-…"
      autocomplete="off"
      spellcheck="false"
      value=${t}
      onInput=${r=>e(r.currentTarget.value)}
      aria-describedby=${n?"goto-id-problem":void 0}
    />
    <button type="submit">Go</button>
    ${n&&c`<span id="goto-id-problem" class="field-error" role="alert">${n}</span>`}
  </form>`}function xn(){return c`<section>
    <h1>Page not found</h1>
    <p><${S} href="/ui/">Back to the workflows</${S}></p>
  </section>`}function Sn(){let[t,e]=v(null),[n,o]=v(""),s=r=>{mt(r,i=>{o(i),s({auth:"required",signed_in:!1})}),e(r)};return x(()=>{let r=i=>{i.ended&&o(i.ended),s(i)};y.session().then(r,()=>s({auth:"off"}))},[]),{session:t,notice:n,adopt:s,setNotice:o}}function En(){let t=kt(),{session:e,notice:n,adopt:o,setNotice:s}=Sn(),r=e?.auth==="required"&&!e.signed_in,i=wt(t.pathname),a=new URLSearchParams(t.search),l;return e===null?l=c`<${O} />`:r?l=c`<${Ct} onSignedIn=${u=>{s(""),o(u)}} notice=${n} />`:i.view==="workflows"?l=c`<${Lt} params=${a} />`:i.view==="workflow"?l=c`<${It} key=${i.id} workflowId=${i.id} params=${a} />`:i.view==="execution"?l=c`<${Nt} key=${i.id} executionId=${i.id} />`:l=c`<${xn} />`,c`<header class="top">
      <${S} href="/ui/" class="brand">Dataflow</${S}>
      ${!r&&c`<${bn} />`}
      ${e?.signed_in&&c`<${Dt} session=${e} onSignedOut=${()=>o({auth:"required",signed_in:!1})} />`}
    </header>
    <main id="main">${l}</main>`}Ce(c`<${En} />`,document.getElementById("app"));
