/* Dataflow console, bundled by make gen-ui from server/dataflow_server/ui/src with Preact 11.2.0 (MIT) and htm 3.1.1 (Apache-2.0). */
var y,Fe,Dt,U,we,fe,je,ue,qe,ke,ye,Pt,Y=Symbol.for("pv"),pe={},me=[],Lt=/^m(i|n|o|s|text|space)$/,be=Array.isArray,xe=me.slice,J=Object.assign;function G(t){t&&t.parentNode&&t.remove()}function Ge(t,e,o){var n,s,r,i={},a=arguments.length;for(r in e)r=="key"?n=e[r]:r=="ref"&&typeof t!="function"?s=e[r]:i[r]=e[r];return a>2&&(i.children=a>3?xe.call(arguments,2):o),Q(t,i,n,s,null)}function Q(t,e,o,n,s){var r={type:t,props:e,key:o,ref:n,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Y,__v:s||++Fe,__i:-1,__u:0};return!s&&y.vnode&&y.vnode(r),r}function Z(t){return t.children}function de(t,e){this.props=t,this.context=e,this.__g=0}function O(t,e){if(e==null)return t.__&&O(t.__,t.__i+1);for(var o;e<t.__k.length;e++)if((o=t.__k[e])&&o.__e)return o.__e;return typeof t.type!="function"||t.props.__P?null:O(t)}function Rt(t){var e,o=t.__v,n=o.__e,s=[],r=[],i=t.__P;i&&((e=J({constructor:Y},o)).__v=o.__v+1,y.vnode&&y.vnode(e),Ee(i,e,o,t.__n,i.namespaceURI,32&o.__u?[n]:null,s,n||O(o),32&o.__u,r),e.__v=o.__v,e.__.__k[e.__i]=e,Ye(s,e,r),o.__=o.__e=null,e.__e!=n&&Je(e))}function Je(t){if((t=t.__)&&t.__c&&!t.props.__P)return t.__e=null,t.__k.some(function(e){return e&&(t.__e=e.__e)}),Je(t)}function Ve(t){(8&t.__g||(t.__g|=8,U.push(t),fe++))&&we==y.debounceRendering||((we=y.debounceRendering)||queueMicrotask)(Ke)}function Ke(){try{for(var t,e=1;U.length;)U.length>e&&U.sort(je),t=U.shift(),e=U.length,8&t.__g&&Rt(t)}finally{(fe=U.length)&&(we||queueMicrotask)(Ke)}}function ze(t,e,o,n,s,r,i,a,l,p,u){var _,m,d,f,h,$,w=n.__k||me,v=e.length;for(l=At(o,e,w,l,v),_=0;_<v;_++)(d=o.__k[_])!=null&&(m=~d.__i&&w[d.__i]||pe,d.__i=_,$=Ee(t,d,m,s,r,i,a,l,p,u),f=d.__e,(m.ref!=d.ref||8&m.__u)&&(m.ref&&Se(m.ref,null,d,m),d.ref&&u.push(d.ref,d.__c||f,d)),h=h||f,4&d.__u?(l=Xe(d,l,t,!m.__v),m.__e&&(m.__e=null)):typeof d.type=="function"&&$!==void 0?l=$:f&&(l=f.nextSibling),d.__u&=-21);return o.__e=h,l}function At(t,e,o,n,s){var r,i,a,l,p,u,_,m,d,f=o.length,h=f,$=0,w=0,v=t.__k=Array(s);for(r=0;r<s;r++)(i=e[r])!=null&&typeof i!="boolean"&&typeof i!="function"?(typeof i!="object"||i.constructor===String?i=v[r]=Q(null,i):be(i)?i=v[r]=Q(Z,{children:i}):i.constructor===Y&&i.__b?i=v[r]=Q(i.type,i.props,i.key,i.ref,i.__v):v[r]=i,l=r+$,i.__=t,i.__b=t.__b+1,a=null,~(p=i.__i=Wt(i,o,l,h))&&(h--,(a=o[p])&&(a.__u|=2)),a&&a.__v?(i.__u|=16,p==l-1?$--:p==l+1?$++:p!=l&&(p>l?$--:$++,w=1)):(~p||(s>f?$--:s<f&&$++),typeof i.type!="function"&&(i.__u|=4))):v[r]=null;if(w){for(u=[],_=[],r=0;r<s;r++)if((i=v[r])&&16&i.__u){for($=0,m=u.length;$<m;)u[d=$+m>>1]<i.__i?$=d+1:m=d;u[$]=i.__i,_[r]=$+1}for($=u.length;r--;)_[r]&&(_[r]==$?$--:v[r].__u|=4)}if(h)for(r=0;r<f;r++)!(a=o[r])||2&a.__u||(a.__e==n&&(n=O(a)),Te(a,a));return n}function Xe(t,e,o,n){var s,r,i,a;if(typeof t.type=="function"){if(t.props.__P)return e;if(s=t.__k)for(r=0;r<s.length;r++)s[r]&&(s[r].__=t,e=Xe(s[r],e,o,!1));return e}for(e&&!e.parentNode&&(e=O(t))&&!e.parentNode&&(e=null),i=t.__e,a=e;a&&a.nodeType==8;)a=a.nextSibling;for(i!=a&&(!n&&o.moveBefore&&i.parentNode?o.moveBefore(i,e):o.insertBefore(i,e||null)),e=i;(e=e&&e.nextSibling)&&e.nodeType==8&&!e.data.startsWith("$s"););return e}function Wt(t,e,o,n){var s,r=t.key,i=t.type,a=e[o],l=a&&!(2&a.__u);if(a===null&&r==null||l&&r==a.key&&i==a.type)return o;if(n>(l?1:0)){for(s=o-1;s>=0;s--)if((a=e[s])&&!(2&a.__u)&&r==a.key&&i==a.type)return s;for(s=o+1;s<e.length;s++)if((a=e[s])&&!(2&a.__u)&&r==a.key&&i==a.type)return s}return-1}function He(t,e,o){o==null&&(o=""),e[0]=="-"?t.setProperty(e,o):t[e]=o}function ce(t,e,o,n,s){var r,i;if(e=="style")if(typeof o=="string")t.style.cssText=o;else{if(typeof n=="string"&&(t.style.cssText=n=""),n)for(e in n)o&&e in o||He(t.style,e);if(o)for(e in o)n&&o[e]==n[e]||He(t.style,e,o[e])}else if(e[0]=="o"&&e[1]=="n")typeof o!="function"&&(o=null),typeof n!="function"&&(n=null),(t.__e||(t.__e={}))[e]=o,o&&n||(i=ye[e]||(ye[e]=It(e)),(t.__a||(t.__a={}))[e]=ke,r=e!=(e=e.replace(qe,"$1")),(e=e.slice(2))[0]<"a"&&(e=e.toLowerCase()),o?t.addEventListener(e,i,r):t.removeEventListener(e,i,r));else{if(s=="http://www.w3.org/2000/svg")e=e.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(e!="width"&&e!="height"&&e!="href"&&e!="list"&&e!="form"&&e!="tabIndex"&&e!="download"&&e!="rowSpan"&&e!="colSpan"&&e!="role"&&e!="popover"&&e in t)try{return void(t[e]=o??"")}catch{}if(typeof o=="function")return;o==null||o===!1&&e[4]!="-"?t.removeAttribute(e):t.setAttribute(e,e=="popover"&&o==1?"":o)}}function It(t){return function(e){var o=this.__e;if(o){if(o=o[t],e[ue]==null)e[ue]=ke++;else if(e[ue]<this.__a[t])return;return o(y.event?y.event(e):e)}}}function Ee(t,e,o,n,s,r,i,a,l,p){var u,_,m,d,f,h,$,w,v,E,b,ge,Oe,le,j,Be,M,q,W=e.type;if(e.constructor!==Y)return null;128&o.__u&&(l=32&o.__u,u=o.__c.__z)&&(e.__u|=l,_=r=[],u.nodeType==8?a=_e(u,r):r.push(u),a=r[0]||a),(u=y.__b)&&u(e);e:if(typeof W=="function"){m=i.length;try{if(w=e.props,v=(u=W.prototype)&&u.render,E=(u=W.contextType)&&n[u.__c],b=u?E?E.props.value:u.__:n,(d=o.__c)?(e.__c=d,2&d.__g&&(d.__g|=1)):(v?e.__c=d=new W(w,b):(e.__c=d=new de(w,b),d.constructor=W,d.render=Ut),E&&E.sub(d),d.state||(d.state={}),d.__n=n,d.__g|=8,d.__h=[],d.__k=[]),v&&(d.__s||(d.__s=d.state),W.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=J({},d.__s)),J(d.__s,W.getDerivedStateFromProps(w,d.__s)))),f=d.props,h=d.state,d.__v=e,o.__c){if(w!==f&&v&&!W.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(w,b),e.__v==o.__v&&!(8&d.__g)||!(4&d.__g)&&d.shouldComponentUpdate&&d.shouldComponentUpdate(w,d.__s,b)===!1){e.__v!=o.__v&&(d.props=w,d.state=d.__s,d.__g&=-9),e.__e=o.__e,e.__k=o.__k,e.__k.some(function(L){L&&(L.__=e)}),me.push.apply(d.__h,d.__k),d.__k=[],d.__h.length&&i.push(d),a=O(o);break e}d.componentWillUpdate&&d.componentWillUpdate(w,d.__s,b),v&&d.componentDidUpdate&&d.__h.push(function(){d.componentDidUpdate(f,h,$)})}else v&&!W.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),v&&d.componentDidMount&&d.__h.push(d.componentDidMount);d.context=b,d.props=w,d.__P=t,d.__g&=-5,ge=y.__r,Oe=v?25:0;do d.__g&=-9,ge&&ge(e),u=d.render(d.props,d.state=d.__s,d.context);while(8&d.__g&&++Oe<25);v&&(me.push.apply(d.__h,d.__k),d.__k=[]),d.state=d.__s,d.getChildContext&&(n=J({},n,d.getChildContext())),v&&o.__c&&d.getSnapshotBeforeUpdate&&($=d.getSnapshotBeforeUpdate(f,h)),le=u&&u.type===Z&&u.key==null?u.props.children:u,w.__P&&(u=a,s=(t=w.__P).namespaceURI,l=r=null,o.props&&o.props.__P!=t&&(o.__k.some(function(L){L&&Te(L,L)}),o.__k=null),a=o.__k?O(o,0):null),a=ze(t,be(le)?le:[le],e,o,n,s,r,i,a,l,p),w.__P&&(e.__e=null,a=u),e.__u&=-161,_&&_.some(G),d.__h.length&&i.push(d),1&d.__g&&(d.__g&=-4)}catch(L){if(i.length=m,e.__v=null,l||r)if(L&&L.then){if(e.__u|=128|l,r){for(~(M=r.indexOf(a||void 0))||(M=r.length);(q=r[M-1])&&q.nodeType==8;)M--;for(;M<r.length;M++)if(q=r[M])if(r[M]=null,j){if(q==Be)break}else{if(q.nodeType!=8)break;q.data.startsWith("$s")&&(Be=_e(j=q))}}if(!j){for(;a&&a.nodeType==8&&a.nextSibling;)a=a.nextSibling;j=a}(u=_e(j=e.__c.__z||(e.__c.__z=j)))?(e.__e=j,a=u):e.__e=a,a=a&&a.nextSibling}else r&&r.some(G);else e.__e=o.__e;e.__k||(e.__k=o.__k||[]),L&&L.then||Qe(e),y.__e(L,e,o)}}else a=e.__e=Mt(o.__e,e,o,n,s,r,i,l,p,t);return(u=y.diffed)&&u(e),a}function _e(t,e){if(t&&t.nodeType==8&&t.data.startsWith("$s"))for(var o=1;t=t.nextSibling;){if(t.nodeType==8){if(t.data.startsWith("$s"))o++;else if(t.data.startsWith("/$s")&&!--o)return t}e&&e.push(t)}}function Qe(t){t&&(t.__c&&(t.__c.__g|=4),t.__k&&t.__k.some(Qe))}function Ye(t,e,o){for(var n=0;n<o.length;)Se(o[n++],o[n++],o[n++]);y.__c&&y.__c(e,t),t.some(function(s){try{t=s.__h,s.__h=[],t.some(function(r){r.call(s)})}catch(r){y.__e(r,s.__v)}})}function Mt(t,e,o,n,s,r,i,a,l,p){var u,_,m,d,f,h,$,w,v=o.props||pe,E=e.props,b=e.type;if(b=="svg"?s="http://www.w3.org/2000/svg":b=="math"?s="http://www.w3.org/1998/Math/MathML":s||(s="http://www.w3.org/1999/xhtml"),r){for(u=0;u<r.length;u++)if((f=r[u])&&(b?f.localName==b:f.nodeType==3)){t=f,r[u]=null;break}}if(!t){if(w=p.ownerDocument||document,!b)return w.createTextNode(E);t=w.createElementNS(s,b,E.is?E:p),a&&(y.__m&&y.__m(e,r),a=!1),r=null}if(b){if(p=b=="template"&&t.content||t,r=b=="textarea"&&E.defaultValue!=null?null:r&&xe.call(p.childNodes),!a&&r)for(v={},u=0;u<t.attributes.length;u++)v[(f=t.attributes[u]).name]=f.value;for(u in v)f=v[u],u=="dangerouslySetInnerHTML"?m=f:u=="children"||u in E||u=="value"&&"defaultValue"in E||u=="checked"&&"defaultChecked"in E||ce(t,u,null,f,s);for(u in E)f=E[u],u=="children"?d=f:u=="dangerouslySetInnerHTML"?_=f:u=="value"?h=f:u=="checked"?$=f:a&&typeof f!="function"||v[u]===f||ce(t,u,f,v[u],s);_?(a||m&&(_.__html==m.__html||_.__html==t.innerHTML)||(t.innerHTML=_.__html),e.__k=[]):(m&&(t.textContent=""),(b=="foreignObject"||s=="http://www.w3.org/1998/Math/MathML"&&Lt.test(b))&&(s="http://www.w3.org/1999/xhtml"),ze(p,be(d)?d:[d],e,o,n,s,r,i,r?r[0]:o.__k&&O(o,0),a,l),r&&r.some(G)),a&&b!="textarea"||(u="value",b=="progress"&&h==null?t.removeAttribute(u):h==null||h===t[u]&&(b!="progress"||h)||ce(t,u,h,v[u],s),u="checked",$!=null&&$!=t[u]&&ce(t,u,$,v[u],s))}else v===E||a&&t.data==E||(t.data=E);return t}function Se(t,e,o,n){try{typeof t=="function"?e?e.__x=t(e)||1:n&&(n=n.__c||n.__e)&&(e=n.__x)&&(n.__x=null,typeof e=="function"?e():t(null)):t.current=e}catch(s){y.__e(s,o)}}function Te(t,e,o){var n,s,r,i;if(y.unmount&&y.unmount(t),!(n=t.ref)||n.current&&n.current!=t.__e||Se(n,null,e,t),n=t.__c){if(n.componentWillUnmount)try{n.componentWillUnmount()}catch(a){y.__e(a,e)}n.__P=n.__n=null}if(n=t.__k)for(i=0;i<n.length;i++)n[i]&&Te(n[i],e,typeof t.type!="function"||o&&!t.props.__P);!o&&(n=t.__c)&&(n=n.__z)&&(s=_e(n,r=[]))&&(n==t.__e&&r.some(G),G(s),G(n)),o||G(t.__e),t.__e=t.__c=t.__=null}function Ut(t,e,o){return this.constructor(t,o)}function Ne(t,e){var o,n,s,r;y.__&&y.__(t,e),e.nodeType==9&&(e=e.documentElement),n=(o=t&&32&t.__u)?null:e.__k,e.__k=Q(Z,{children:[t]}),s=[],r=[],Ee(e,e.__k,n||pe,pe,e.namespaceURI,n?null:e.firstChild?xe.call(e.childNodes):null,s,n?n.__e:e.firstChild,o,r),Ye(s,e.__k,r),e.__k.props.children=null}y={__e:function(t,e,o,n){for(var s,r,i;e=e.__;)if((s=e.__c)&&!(1&s.__g)){s.__g|=4;try{if((i=(r=s.constructor)&&r.getDerivedStateFromError)&&s.setState(r.getDerivedStateFromError(t)),s.componentDidCatch&&(s.componentDidCatch(t,n||{}),i=1),i&&8&s.__g)return void(s.__g|=2)}catch(a){t=a}}throw fe=0,t}},Fe=0,Dt=function(t){return t!=null&&t.constructor===Y},de.prototype.setState=function(t,e){var o=this.__s;o&&o!=this.state||(o=this.__s=J({},this.state)),typeof t=="function"&&(t=t(J({},o),this.props)),t&&(J(o,t),this.__v&&(e&&this.__k.push(e),Ve(this)))},de.prototype.forceUpdate=function(t){this.__v&&(this.__g|=4,t&&this.__h.push(t),Ve(this))},de.prototype.render=Z,U=[],fe=0,je=function(t,e){return t.__v.__b-e.__v.__b},ue=Symbol(),qe=/(PointerCapture)$|Capture$/i,ke=0,ye={},Pt=0;var te,N,Ce,Ze,De=Object.is,oe=0,lt=[],Pe=[],S=y,et=S.__b,tt=S.__r,ot=S.diffed,nt=S.__c,rt=S.unmount,st=S.__;function Re(t,e){S.__h&&S.__h(N,t,oe||e),oe=0;var o=N.__H||(N.__H={__:[],__h:[]});return t>=o.__.length&&o.__.push({}),o.__[t]}function g(t){return oe=1,Ot(ut,t)}function Ot(t,e,o){var n=Re(te++,2);if(n.t=t,!n.__c&&(n.__=[o?o(e):ut(void 0,e),function(r){var i=(n.__N||n.__)[0],a=n.t(i,r);De(i,a)||(n.__N=[a,n.__[1]],n.__c.setState({}))}],n.__c=N,!N.__f)){N.__f=!0;var s=N.shouldComponentUpdate;N.shouldComponentUpdate=function(r,i,a){var l=this.__H;if(!l)return!0;var p=!1,u=this.props!=r;if(l.__.some(function(m){m.__N&&(p=!0,De(m.__[0],m.__N[0])||(u=!0))}),s){var _=s.call(this,r,i,a);return p?_||u:_}return!p||u}}return n.__}function T(t,e){var o=Re(te++,3);!S.__s&&ct(o.__H,e)&&(o.__P=!0,o.__=t,o.u=e,N.__H.__h.push(o))}function B(t){return oe=5,Ae(function(){return{current:t}},[])}function Ae(t,e){var o=Re(te++,7);return ct(o.__H,e)&&(o.__=t(),o.__H=e),o.__}function he(t,e){return oe=8,Ae(function(){return t},e)}function Bt(){var t;do{for(;t=Pe.shift();)try{ee(t)}catch(o){S.__e(o,{__:(t=t.__P)&&t.__v})}for(;t=lt.shift();){var e=t.__H;if(t.__P&&e)try{e.__h.some(ee),e.__h.some(Le),e.__h=[]}catch(o){e.__h=[],S.__e(o,t.__v)}}}while(Pe.length)}S.__b=function(t){N=null,et&&et(t)},S.__=function(t,e){t&&e.__k&&e.__k.__m&&(t.__m=e.__k.__m),st&&st(t,e)},S.__r=function(t){tt&&tt(t),te=0;var e=(N=t.__c).__H;e&&(Ce==N?N.__h=[]:(e.__h.some(ee),e.__h.some(Le),te=0),e.__h=[],e.__.some(function(o){o.__N&&(o.__=o.__N),o.u=o.__N=void 0})),Ce=N},S.diffed=function(t){ot&&ot(t);var e=t.__c;e&&e.__H&&(e.__H.__h.length&&at(lt.push(e)),e.__H.__.some(function(o){o.u&&(o.__H=o.u)})),Ce=N=null},S.__c=function(t,e){e.some(function(o){try{o.__h.some(ee),o.__h=o.__h.filter(function(n){return!n.__||Le(n)})}catch(n){o.__h=[function(){throw n}]}}),nt&&nt(t,e)},S.unmount=function(t){rt&&rt(t);var e,o,n=t.__c;n&&n.__H&&(n.__H.__.some(function(s){try{if(s.__P&&s.__c){if(o===void 0){for(o=t.__;o&&(!o.__c||!o.__c.__P);)o=o.__;o=o&&o.__c}s.__P=o,at(Pe.push(s))}else ee(s)}catch(r){e=r}}),n.__H=void 0,e&&S.__e(e,n.__v))};var it=typeof requestAnimationFrame=="function";function Vt(t){var e,o=function(){clearTimeout(n),it&&cancelAnimationFrame(e),setTimeout(t)},n=setTimeout(o,35);it&&(e=requestAnimationFrame(o))}function at(t){t!=1&&Ze==S.requestAnimationFrame||((Ze=S.requestAnimationFrame)||Vt)(Bt)}function ee(t){var e=N,o=t.__c;typeof o=="function"&&(t.__c=void 0,o()),N=e}function Le(t){var e=N;t.__c=t.__(),N=e}function ct(t,e){return!t||t.length!=e.length||e.some(function(o,n){return!De(o,t[n])})}function ut(t,e){return typeof e=="function"?e(t):e}var _t=function(t,e,o,n){var s;e[0]=0;for(var r=1;r<e.length;r++){var i=e[r++],a=e[r]?(e[0]|=i?1:2,o[e[r++]]):e[++r];i===3?n[0]=a:i===4?n[1]=Object.assign(n[1]||{},a):i===5?(n[1]=n[1]||{})[e[++r]]=a:i===6?n[1][e[++r]]+=a+"":i?(s=t.apply(a,_t(t,a,o,["",null])),n.push(s),a[0]?e[0]|=2:(e[r-2]=0,e[r]=s)):n.push(a)}return n},dt=new Map;function ft(t){var e=dt.get(this);return e||(e=new Map,dt.set(this,e)),(e=_t(this,e.get(t)||(e.set(t,e=(function(o){for(var n,s,r=1,i="",a="",l=[0],p=function(m){r===1&&(m||(i=i.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?l.push(0,m,i):r===3&&(m||i)?(l.push(3,m,i),r=2):r===2&&i==="..."&&m?l.push(4,m,0):r===2&&i&&!m?l.push(5,0,!0,i):r>=5&&((i||!m&&r===5)&&(l.push(r,0,i,s),r=6),m&&(l.push(r,m,0,s),r=6)),i=""},u=0;u<o.length;u++){u&&(r===1&&p(),p(u));for(var _=0;_<o[u].length;_++)n=o[u][_],r===1?n==="<"?(p(),l=[l],r=3):i+=n:r===4?i==="--"&&n===">"?(r=1,i=""):i=n+i[0]:a?n===a?a="":i+=n:n==='"'||n==="'"?a=n:n===">"?(p(),r=1):r&&(n==="="?(r=5,s=i,i=""):n==="/"&&(r<5||o[u][_+1]===">")?(p(),r===3&&(l=l[0]),r=l,(l=l[0]).push(2,0,r),r=0):n===" "||n==="	"||n===`
`||n==="\r"?(p(),r=2):i+=n),r===3&&i==="!--"&&(r=4,l=l[0])}return p(),l})(t)),e),arguments,[])).length>1?e:e[0]}var c=ft.bind(Ge);var We=class extends Error{constructor(e,o){super(o.detail||o.title||`HTTP ${e}`),this.status=e,this.title=o.title||`HTTP ${e}`,this.violations=Array.isArray(o.field_violations)?o.field_violations:[]}},V=encodeURIComponent,$e=t=>`/workflows/${V(t.workflow_id)}/executions/${V(t.workflow_execution_id)}`;function ne(t){let e=new URLSearchParams;for(let[n,s]of Object.entries(t))s!=null&&s!==""&&e.set(n,String(s));let o=e.toString();return o?`?${o}`:""}async function A(t,e,o,n={}){let s={method:t,headers:{Accept:"application/json"},signal:n.signal};o instanceof Blob?(s.body=o,s.headers["Content-Type"]=o.type||"application/octet-stream",Object.assign(s.headers,n.headers||{})):o!==void 0&&(s.body=JSON.stringify(o),s.headers["Content-Type"]="application/json");let r=await fetch(e,s),i=await r.text(),a={};if(i)try{a=JSON.parse(i)}catch{a={title:`HTTP ${r.status}`,detail:i.slice(0,200)}}if(!r.ok)throw new We(r.status,a);return a}var k={listWorkflows:({pageSize:t,pageToken:e}={},o)=>A("GET",`/workflows${ne({page_size:t,page_token:e})}`,void 0,{signal:o}),getWorkflow:(t,e,o)=>A("GET",`/workflows/${V(t)}${ne({workflow_version:e})}`,void 0,{signal:o}),listExecutions:(t,{status:e,pageSize:o,pageToken:n,view:s}={},r)=>A("GET",`/workflows/${V(t)}/executions${ne({status:e,page_size:o,page_token:n,view:s})}`,void 0,{signal:r}),executeWorkflow:(t,e)=>A("POST",`/workflows/${V(t)}/executions`,e),getExecution:(t,e)=>A("GET",`/executions/${V(t)}`,void 0,{signal:e}),cancelExecution:t=>A("POST",`${$e(t)}/cancel`,{}),retryExecution:t=>A("POST",`${$e(t)}/retry`,{}),listWebhookDeliveries:(t,e)=>A("GET",`${$e(t)}/webhook-deliveries`,void 0,{signal:e}),redeliverWebhook:t=>A("POST",`/webhook-deliveries/${V(t)}/redeliver`,{}),uploadFile:t=>A("POST",`/files${ne({name:t.name})}`,t),fileContentUrl:t=>`/files/${V(t)}/content`,eventsUrl:(t,e)=>`${$e(t)}/events${ne({last_event_id:e})}`};var pt=["PENDING","RUNNING","COMPLETED","FAILED","CANCELLED"],re=new Set(["PENDING","RUNNING"]);function P(t){if(!t)return null;let e=Date.parse(t);return Number.isNaN(e)?null:e}function mt(t){let e=P(t);return e===null?"\u2014":new Date(e).toLocaleString(void 0,{year:"numeric",month:"short",day:"numeric",hour:"2-digit",minute:"2-digit",second:"2-digit"})}function H(t){if(t==null||Number.isNaN(t))return"\u2014";if(t<1e3)return`${Math.max(0,Math.round(t))} ms`;let e=t/1e3;if(e<60)return`${e.toFixed(e<10?2:1)} s`;let o=Math.floor(e/60);return o<60?`${o} min ${Math.round(e%60)} s`:`${Math.floor(o/60)} h ${o%60} min`}function K(t,e,o=Date.now()){let n=P(t);return n===null?null:(P(e)??o)-n}function ht(t){let e=Number(t);return Number.isFinite(e)?e<1024?`${e} B`:e<1024*1024?`${(e/1024).toFixed(1)} KiB`:`${(e/1024/1024).toFixed(1)} MiB`:""}function $t(t){return t!==null&&typeof t=="object"&&!Array.isArray(t)&&typeof t.file_id=="string"&&t.file_id!==""}var vt="/ui",Ie="dataflow:navigate";function F(t,{replace:e=!1}={}){e?history.replaceState(null,"",t):history.pushState(null,"",t),window.dispatchEvent(new Event(Ie))}function se(t){let e=new URLSearchParams(location.search);for(let[n,s]of Object.entries(t))s==null||s===""?e.delete(n):e.set(n,String(s));let o=e.toString();F(`${location.pathname}${o?`?${o}`:""}`,{replace:!0})}function gt(t){let e=t.startsWith(vt)?t.slice(vt.length):t,o;return e===""||e==="/"?{view:"workflows"}:(o=e.match(/^\/workflows\/([^/]+)\/?$/))?{view:"workflow",id:decodeURIComponent(o[1])}:(o=e.match(/^\/executions\/([^/]+)\/?$/))?{view:"execution",id:decodeURIComponent(o[1])}:{view:"not-found"}}function wt(){let t=()=>({pathname:location.pathname,search:location.search}),[e,o]=g(t);return T(()=>{let n=()=>o(t());return window.addEventListener("popstate",n),window.addEventListener(Ie,n),()=>{window.removeEventListener("popstate",n),window.removeEventListener(Ie,n)}},[]),e}var Ht={PENDING:"\u25CB",RUNNING:"\u25D4",COMPLETED:"\u2713",DELIVERED:"\u2713",FAILED:"\u2715",CANCELLED:"\u2298",SKIPPED:"\u21B7"};function R({status:t}){let e=t||"UNKNOWN";return c`<span class=${`status status-${e.toLowerCase()}`} data-status=${e}>
    <span class="status-icon" aria-hidden="true">${Ht[e]||"?"}</span>
    ${e}
  </span>`}function x({href:t,children:e,...o}){return c`<a href=${t} onClick=${s=>{s.button!==0||s.metaKey||s.ctrlKey||s.shiftKey||s.altKey||(s.preventDefault(),F(t))}} ...${o}>${e}</a>`}var ie=t=>`/ui/workflows/${encodeURIComponent(t)}`,ve=t=>`/ui/executions/${encodeURIComponent(t)}`;function D({value:t}){return t?c`<time datetime=${t} title=${t}>${mt(t)}</time>`:"\u2014"}function C({error:t,title:e="Request failed"}){if(!t)return null;let o=t.violations||[];return c`<div class="error-box" role="alert">
    <strong>${t.title||e}</strong>
    <p>${t.message}</p>
    ${o.length>0&&c`<ul>
      ${o.map(n=>c`<li><code>${n.field}</code>: ${n.description}</li>`)}
    </ul>`}
  </div>`}function z({what:t="Loading"}){return c`<p class="muted" aria-live="polite">${t}…</p>`}function ae({value:t}){return c`<pre class="json">${JSON.stringify(t,null,2)}</pre>`}function Ft({file:t}){let e=k.fileContentUrl(t.file_id),o=t.content_type||"",n=t.name||t.file_id,s=null;return o.startsWith("audio/")?s=c`<audio controls preload="metadata" src=${e} aria-label=${`Play ${n}`}></audio>`:o.startsWith("image/")?s=c`<img class="preview" src=${e} alt=${n} loading="lazy" />`:o.startsWith("video/")&&(s=c`<video controls preload="metadata" src=${e} aria-label=${n}></video>`),c`<div class="file">
    ${s}
    <div>
      <a href=${e} download=${n}>Download ${n}</a>
      <span class="muted"> ${o} ${ht(t.size_bytes)}</span>
    </div>
  </div>`}function jt({value:t}){return t==null?c`<span class="muted">—</span>`:$t(t)?c`<${Ft} file=${t} />`:typeof t=="string"?c`<pre class="text">${t}</pre>`:typeof t=="number"||typeof t=="boolean"?c`<code>${String(t)}</code>`:c`<${ae} value=${t} />`}function X({values:t,empty:e="None"}){let o=Object.entries(t||{});return o.length===0?c`<p class="muted">${e}</p>`:c`<dl class="values">
    ${o.map(([n,s])=>c`<div class="value-row">
        <dt>${n}</dt>
        <dd><${jt} value=${s} /></dd>
      </div>`)}
  </dl>`}function yt({hasPrevious:t,nextToken:e,onPrevious:o,onNext:n,label:s}){return!t&&!e?null:c`<nav class="pager" aria-label=${s}>
    <button type="button" onClick=${o} disabled=${!t}>← Previous</button>
    <button type="button" onClick=${n} disabled=${!e}>Next →</button>
  </nav>`}function I(t,e){let[o,n]=g({data:null,error:null,loading:!0}),s=B(null),r=he(()=>{s.current?.abort();let a=new AbortController;s.current=a,n(l=>({...l,loading:!0})),t(a.signal).then(l=>!a.signal.aborted&&n({data:l,error:null,loading:!1}),l=>!a.signal.aborted&&n({data:null,error:l,loading:!1}))},e);T(()=>(r(),()=>s.current?.abort()),[r]);let i=he(a=>{n(l=>({...l,data:typeof a=="function"?a(l.data):a}))},[]);return{...o,reload:r,setData:i}}function kt(t,e=1e3){let[o,n]=g(Date.now());return T(()=>{if(!t)return;let s=setInterval(()=>n(Date.now()),e);return()=>clearInterval(s)},[t,e]),o}var qt=["execution.pending","execution.running","execution.completed","execution.failed","execution.cancelled","task.running","task.completed","task.failed","task.skipped","task.retrying","task.cancelled"],Gt=new Set(["execution.completed","execution.failed","execution.cancelled"]),Jt=5e3;function bt(t,e,o,n){let[s,r]=g("idle"),i=B(null),a=B(n);return a.current=n,T(()=>{if(!o||!t)return;let l=null,p=null,u=!1,_=250,m=()=>{r(i.current===null?"connecting":"reconnecting"),l=new EventSource(k.eventsUrl({workflow_id:t,workflow_execution_id:e},i.current)),l.onopen=()=>{_=250,r("live")};let d=f=>{f.lastEventId&&(i.current=f.lastEventId);let h;try{h=JSON.parse(f.data)}catch{return}a.current(h),Gt.has(f.type)&&(u=!0,l.close(),r("ended"))};for(let f of qt)l.addEventListener(f,d);l.onerror=()=>{l.close(),!u&&(r("reconnecting"),p=setTimeout(m,_),_=Math.min(_*2,Jt))}};return m(),()=>{u=!0,clearTimeout(p),l?.close()}},[t,e,o]),s}var Kt=.8;function zt(t,e){let o=new Map((t.tasks||[]).map(i=>[i.name,i])),n=e?.tasks||[],s=n.map(i=>({definition:i,run:o.get(i.name)||{name:i.name,type:i.type,status:"PENDING"}})),r=new Set(n.map(i=>i.name));for(let i of t.tasks||[])r.has(i.name)||s.push({definition:null,run:i});return s}function Xt(t,e,o){let n=e.map(a=>P(a.run.started_at)).filter(a=>a!==null),s=e.map(a=>P(a.run.completed_at)).filter(a=>a!==null),r=P(t.started_at)??(n.length?Math.min(...n):P(t.created_at)),i=P(t.completed_at)??Math.max(o,...s);return{start:r,span:Math.max(i-r,1)}}function Qt({items:t}){return c`<h4>Items</h4>
    <div class="table-wrap"><table class="items">
      <thead><tr><th scope="col">#</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
      <tbody>
        ${t.map(e=>c`<tr key=${e.index}>
            <td>${e.index??0}</td>
            <td><${R} status=${e.status} /></td>
            <td>${e.attempts||0}</td>
            <td>${H(K(e.started_at,e.completed_at))}</td>
            <td>${e.error?`${e.error.code}: ${e.error.message}`:""}</td>
          </tr>`)}
      </tbody>
    </table></div>`}function Yt({row:t}){let{run:e,definition:o}=t;return c`<div class="task-details">
    <dl class="facts">
      <div><dt>Type</dt><dd>${e.type||o?.type}</dd></div>
      <div><dt>Status</dt><dd><${R} status=${e.status} /></dd></div>
      <div><dt>Attempts</dt><dd>${e.attempts||0}</dd></div>
      <div><dt>Started</dt><dd><${D} value=${e.started_at} /></dd></div>
      <div><dt>Completed</dt><dd><${D} value=${e.completed_at} /></dd></div>
    </dl>
    ${e.skip_reason&&c`<p>Skipped: ${e.skip_reason}</p>`}
    ${e.error&&c`<${C} error=${{title:e.error.code,message:e.error.message}} />`}
    ${(e.items||[]).length>0&&c`<${Qt} items=${e.items} />`}
    ${e.inputs!==void 0?c`<h4>Inputs (resolved)</h4><${X} values=${e.inputs} />`:o&&c`<h4>Inputs (as defined)</h4><${ae} value=${o.inputs||{}} />`}
    <h4>Outputs</h4>
    <${X}
      values=${e.outputs}
      empty=${e.status==="PENDING"||e.status==="RUNNING"?"No outputs yet.":"No outputs."}
    />
  </div>`}function Zt({row:t,range:e,now:o}){let[n,s]=g(!1),{run:r}=t,i=P(r.started_at),a;if(i===null)a=c`<div class="tl-bar tl-none">not started</div>`;else{let p=P(r.completed_at)??o,u=Math.min(Math.max((p-i)/e.span*100,Kt),100),_=Math.min(Math.max((i-e.start)/e.span*100,0),100-u);a=c`<div
      class=${`tl-bar tl-${(r.status||"").toLowerCase()}`}
      style=${{left:`${_}%`,width:`${u}%`}}
    ></div>`}let l=`task-${r.name}-details`;return c`<li class="tl-row" data-task=${r.name}>
    <button type="button" class="tl-name" aria-expanded=${n?"true":"false"} aria-controls=${l}
      onClick=${()=>s(!n)}>
      <span aria-hidden="true">${n?"\u25BE":"\u25B8"}</span> ${r.name}
    </button>
    <div class="tl-track">${a}</div>
    <div class="tl-status">
      <${R} status=${r.status} />
      <span class="muted">${H(K(r.started_at,r.completed_at,o))}</span>
    </div>
    ${n&&c`<div id=${l} class="tl-details"><${Yt} row=${t} /></div>`}
  </li>`}function xt({execution:t,definition:e,now:o}){let n=zt(t,e);if(n.length===0)return c`<p class="muted">No tasks.</p>`;let s=Xt(t,n,o);return c`<div class="timeline">
    <div class="tl-axis" aria-hidden="true">
      <span></span>
      <div class="tl-ticks">
        ${[0,.25,.5,.75,1].map(i=>c`<span style=${{left:`${i*100}%`}}>${H(s.span*i)}</span>`)}
      </div>
      <span></span>
    </div>
    <ol class="tl-rows">
      ${n.map(i=>c`<${Zt} key=${i.run.name} row=${i} range=${s} now=${o} />`)}
    </ol>
  </div>`}var eo=1e3,to=3e4;function oo(t,e=Date.now()){let o=t.filter(n=>n.status==="PENDING").map(n=>(P(n.next_attempt_at)??e)-e);return o.length===0?null:Math.min(Math.max(Math.min(...o),eo),to)}function no(t){let e=t.attempts||[],o=e[e.length-1];return o?o.error?o.error:`HTTP ${o.status_code} in ${o.latency_ms??"?"} ms`:"\u2014"}function Et({execution:t,refreshKey:e}){let o=t.workflow_execution_id,[n,s]=g(0),[r,i]=g(null),a=I(_=>k.listWebhookDeliveries(t,_),[o,e,n]),l=async _=>{i(null);try{await k.redeliverWebhook(_),s(m=>m+1)}catch(m){i(m)}},p=a.data?.deliveries||[],u=oo(p);return T(()=>{if(u===null)return;let _=setTimeout(a.reload,u);return()=>clearTimeout(_)},[a.data,u]),c`<section aria-labelledby="webhooks-heading">
    <h2 id="webhooks-heading">Webhook deliveries</h2>
    <p class="muted">To <code>${t.monitoring.webhook}</code></p>
    <${C} error=${a.error||r} />
    ${a.data&&p.length===0&&c`<p class="empty">No deliveries yet.</p>`}
    ${p.length>0&&c`<div class="table-wrap"><table class="deliveries">
      <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last attempt</th><th scope="col">Next attempt</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>
        ${p.map(_=>c`<tr key=${_.webhook_id}>
            <td><code>${_.event_type}</code> <span class="muted">#${_.sequence}</span></td>
            <td><${R} status=${_.status} /></td>
            <td>${_.attempt_count||0}</td>
            <td>${no(_)}</td>
            <td><${D} value=${_.status==="PENDING"?_.next_attempt_at:void 0} /></td>
            <td><button type="button" onClick=${()=>l(_.webhook_id)} aria-label=${`Redeliver ${_.event_type} #${_.sequence}`}>Redeliver</button></td>
          </tr>`)}
      </tbody>
    </table></div>`}
  </section>`}var ro=200,so={connecting:"Connecting\u2026",live:"Live",reconnecting:"Reconnecting\u2026",ended:"Finished"};function io(t,e){let o={...t};return e.status&&e.type.startsWith("execution.")&&(o.status=e.status),e.task_name&&(o.tasks=(t.tasks||[]).map(n=>{if(n.name!==e.task_name)return n;let s={...n,status:e.task_status||n.status};return e.attempt&&(s.attempts=e.attempt),e.type==="task.running"&&!n.started_at&&(s.started_at=e.timestamp),["task.completed","task.failed","task.cancelled"].includes(e.type)&&(s.completed_at=e.timestamp),e.error&&(s.error=e.error),s})),o}function ao({execution:t,onChange:e}){let[o,n]=g(!1),[s,r]=g(null),i=p=>async()=>{n(!0),r(null);try{let u=await p(t);e(u)}catch(u){r(u)}finally{n(!1)}},a=re.has(t.status),l=t.status==="FAILED"||t.status==="CANCELLED";return c`<div class="actions">
    ${a&&c`<button type="button" class="danger" disabled=${o} onClick=${i(k.cancelExecution)}>Cancel execution</button>`}
    ${l&&c`<button type="button" disabled=${o} onClick=${i(k.retryExecution)}>Retry execution</button>`}
    <${C} error=${s} />
  </div>`}function St({executionId:t}){let e=I(f=>k.getExecution(t,f),[t]),o=e.data,n=o?.workflow_id,s=o?.workflow_version,i=I(f=>n?k.getWorkflow(n,s,f):Promise.resolve(null),[n,s]).data,a=!!(o&&re.has(o.status)),l=kt(a),[p,u]=g(0),_=B(null),m=()=>{_.current||(_.current=setTimeout(()=>{_.current=null,k.getExecution(t).then(f=>e.setData(f),()=>{}),u(f=>f+1)},ro))};T(()=>()=>clearTimeout(_.current),[]);let d=bt(n,t,a,f=>{f.execution?e.setData(f.execution):e.setData(h=>h&&io(h,f)),m()});return T(()=>{document.title=`${t} \xB7 ${o?.status||"\u2026"} \xB7 Dataflow`},[t,o?.status]),e.error?c`<section><h1><code>${t}</code></h1><${C} error=${e.error} /></section>`:o?c`<article class="execution">
    <nav class="breadcrumbs" aria-label="Breadcrumbs">
      <${x} href="/ui/">Workflows</${x}>${" / "}<${x} href=${ie(o.workflow_id)}>${i?.title||o.workflow_id}</${x}>${" / "}<code>${o.workflow_execution_id}</code>
    </nav>
    <div class="page-head">
      <h1>Execution <code>${o.workflow_execution_id}</code></h1>
      <div class="head-status">
        <${R} status=${o.status} />
        ${(a||d==="ended")&&c`<span class=${`live live-${d}`} aria-live="polite">${so[d]||""}</span>`}
      </div>
    </div>
    <dl class="facts">
      <div><dt>Workflow</dt><dd><${x} href=${ie(o.workflow_id)}><code>${o.workflow_id}</code></${x}></dd></div>
      <div><dt>Version</dt><dd>v${o.workflow_version}</dd></div>
      <div><dt>Created</dt><dd><${D} value=${o.created_at} /></dd></div>
      <div><dt>Started</dt><dd><${D} value=${o.started_at} /></dd></div>
      <div><dt>Completed</dt><dd><${D} value=${o.completed_at} /></dd></div>
      <div><dt>Duration</dt><dd>${H(K(o.started_at,o.completed_at,l))}</dd></div>
    </dl>
    <${ao} execution=${o} onChange=${f=>f&&e.setData(f)} />
    ${o.error&&c`<${C}
      error=${{title:`${o.error.code}${o.error.task_name?` in task ${o.error.task_name}`:""}`,message:o.error.message}}
    />`}
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Tasks</h2>
      <${xt} execution=${o} definition=${i} now=${l} />
    </section>
    <div class="columns">
      <section aria-labelledby="outputs-heading">
        <h2 id="outputs-heading">Outputs</h2>
        <${X} values=${o.outputs} empty=${a?"Not yet: the execution is running.":"No outputs."} />
      </section>
      <section aria-labelledby="inputs-heading">
        <h2 id="inputs-heading">Inputs</h2>
        <${X} values=${o.inputs} />
      </section>
    </div>
    ${o.monitoring?.webhook&&c`<${Et} execution=${o} refreshKey=${p} />`}
  </article>`:c`<${z} what="Loading execution" />`}var Me=t=>t.required!==!1&&t.default===void 0;function lo(t){return t.type==="boolean"?t.default===!0:t.default===void 0||t.type==="file"?"":t.type==="json"?JSON.stringify(t.default,null,2):String(t.default)}async function co(t,e){switch(t.type){case"boolean":return e;case"file":return e?{file_id:(await k.uploadFile(e)).file_id}:void 0;case"number":case"integer":return e===""?void 0:Number(e);case"json":if(e.trim()==="")return;try{return JSON.parse(e)}catch{throw new Ue(t.name,"is not valid JSON")}default:return e===""&&!Me(t)?void 0:e}}var Ue=class extends Error{constructor(e,o){super(o),this.violations=[{field:`inputs.${e}`,description:o}],this.title="Check the inputs"}};function uo({input:t,value:e,onChange:o,problems:n}){let s=`input-${t.name}`,r=[t.description&&`${s}-help`,n.length&&`${s}-error`].filter(Boolean).join(" "),i={id:s,name:t.name,"aria-describedby":r||void 0,"aria-invalid":n.length?"true":void 0,required:Me(t)&&t.type!=="boolean"},a;return t.type==="boolean"?a=c`<input type="checkbox" ...${i} checked=${e} onChange=${l=>o(l.currentTarget.checked)} />`:t.type==="file"?a=c`<input type="file" ...${i} onChange=${l=>o(l.currentTarget.files[0]||"")} />`:t.type==="number"||t.type==="integer"?a=c`<input type="number" step=${t.type==="integer"?"1":"any"} ...${i} value=${e} onInput=${l=>o(l.currentTarget.value)} />`:a=c`<textarea rows=${t.type==="json"?4:2} ...${i} class=${t.type==="json"?"mono":""} value=${e} onInput=${l=>o(l.currentTarget.value)}></textarea>`,c`<div class=${`field field-${t.type}`}>
    <label for=${s}>${t.name} <span class="muted">(${t.type}${Me(t)?", required":""})</span></label>
    ${a}
    ${t.description&&c`<small id=${`${s}-help`} class="muted">${t.description}</small>`}
    ${n.length>0&&c`<span id=${`${s}-error`} class="field-error" role="alert">${n.join("; ")}</span>`}
  </div>`}function Tt({workflow:t}){let e=t.inputs||[],[o,n]=g(()=>Object.fromEntries(e.map(h=>[h.name,lo(h)]))),[s,r]=g(""),[i,a]=g(null),[l,p]=g(!1),u=i?.violations||[],_=h=>u.filter($=>$.field===h||$.field.startsWith(`${h}.`)).map($=>$.description),m=new Set([...e.map(h=>`inputs.${h.name}`),"monitoring.webhook"]),d=u.filter(h=>![...m].some($=>h.field===$||h.field.startsWith(`${$}.`))),f=async h=>{h.preventDefault(),p(!0),a(null);try{let $={inputs:{}};for(let v of e){let E=await co(v,o[v.name]);E!==void 0&&($.inputs[v.name]=E)}s.trim()&&($.monitoring={webhook:s.trim()});let w=await k.executeWorkflow(t.workflow_id,$);F(`/ui/executions/${encodeURIComponent(w.workflow_execution_id)}`)}catch($){a($),p(!1)}};return c`<section aria-labelledby="run-heading" class="run-form">
    <h2 id="run-heading">Run</h2>
    <p class="muted">Runs the latest version, v${t.workflow_version}.</p>
    <form onSubmit=${f} novalidate>
      ${e.map(h=>c`<${uo}
          key=${h.name}
          input=${h}
          value=${o[h.name]}
          problems=${_(`inputs.${h.name}`)}
          onChange=${$=>n(w=>({...w,[h.name]:$}))}
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
  </section>`}var _o=20,fo=3e3;function po({workflow:t}){return c`<section aria-labelledby="definition-heading">
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
            <${ae} value=${e.inputs||{}} />
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
  </section>`}function mo({workflowId:t,status:e}){let[o,n]=g([""]);T(()=>n([""]),[t,e]);let s=o[o.length-1],r=I(l=>k.listExecutions(t,{status:e,pageSize:_o,pageToken:s,view:"EXECUTION_VIEW_BASIC"},l),[t,e,s]),i=r.data?.executions||[],a=i.some(l=>re.has(l.status));return T(()=>{if(!a)return;let l=setTimeout(r.reload,fo);return()=>clearTimeout(l)},[r.data,a]),c`<section aria-labelledby="executions-heading">
    <div class="page-head">
      <h2 id="executions-heading">Executions</h2>
      <div class="inline-field">
        <label for="status-filter">Status</label>
        <select id="status-filter" value=${e} onChange=${l=>se({status:l.currentTarget.value})}>
          <option value="">All</option>
          ${pt.map(l=>c`<option value=${l}>${l}</option>`)}
        </select>
      </div>
    </div>
    <${C} error=${r.error} />
    ${r.loading&&!r.data&&c`<${z} what="Loading executions" />`}
    ${r.data&&i.length===0&&c`<p class="empty">${e?`No ${e} executions.`:"No executions yet."}</p>`}
    ${i.length>0&&c`<div class="table-wrap">
      <table class="executions">
        <thead><tr><th scope="col">Execution</th><th scope="col">Status</th><th scope="col">Version</th><th scope="col">Created</th><th scope="col">Duration</th></tr></thead>
        <tbody>
          ${i.map(l=>c`<tr key=${l.workflow_execution_id}>
              <td><${x} href=${ve(l.workflow_execution_id)}><code>${l.workflow_execution_id}</code></${x}></td>
              <td><${R} status=${l.status} /></td>
              <td>v${l.workflow_version}</td>
              <td><${D} value=${l.created_at} /></td>
              <td>${H(K(l.started_at,l.completed_at))}</td>
            </tr>`)}
        </tbody>
      </table>
    </div>`}
    <${yt}
      label="Executions pages"
      hasPrevious=${o.length>1}
      nextToken=${r.data?.next_page_token}
      onPrevious=${()=>n(l=>l.slice(0,-1))}
      onNext=${()=>n(l=>[...l,r.data.next_page_token])}
    />
  </section>`}function Nt({workflowId:t,params:e}){let o=Number(e.get("version"))||void 0,n=e.get("status")||"",s=I(u=>k.getWorkflow(t,void 0,u),[t]),r=I(u=>o?k.getWorkflow(t,o,u):Promise.resolve(null),[t,o]),i=s.data,a=o&&r.data||i;T(()=>{document.title=`${a?.title||t} \xB7 Dataflow`},[a?.title,t]);let l=c`<${mo} workflowId=${t} status=${n} />`;if(s.error)return c`<section><h1><code>${t}</code></h1><${C} error=${s.error} /></section>`;if(!i)return c`<article><${z} what="Loading workflow" />${l}</article>`;let p=[];for(let u=i.workflow_version;u>=1;u-=1)p.push(u);return c`<article class="workflow">
    <nav class="breadcrumbs" aria-label="Breadcrumbs"><${x} href="/ui/">Workflows</${x}> / <code>${t}</code></nav>
    <div class="page-head">
      <h1>${a.title||t}</h1>
      <div class="inline-field">
        <label for="version-select">Version</label>
        <select
          id="version-select"
          value=${String(a.workflow_version)}
          onChange=${u=>{let _=Number(u.currentTarget.value);se({version:_===i.workflow_version?"":_})}}
        >
          ${p.map(u=>c`<option value=${String(u)}>v${u}${u===i.workflow_version?" (latest)":""}</option>`)}
        </select>
      </div>
    </div>
    ${a.description&&c`<p class="lead">${a.description}</p>`}
    <p class="muted">
      <code>${t}</code> · created <${D} value=${a.created_at} />
      ${i.state==="WORKFLOW_STATE_ARCHIVED"&&c` · <span class="tag">archived</span>`}
    </p>
    <${C} error=${r.error} />
    <div class="columns">
      <${po} workflow=${a} />
      <${Tt} workflow=${i} />
    </div>
    ${l}
  </article>`}var ho=50,$o=5;function vo({workflowId:t}){let[e,o]=g({executions:null,error:null});return T(()=>{let n=new AbortController;return k.listExecutions(t,{pageSize:$o,view:"EXECUTION_VIEW_BASIC"},n.signal).then(s=>o({executions:s.executions||[],error:null}),s=>!n.signal.aborted&&o({executions:[],error:s})),()=>n.abort()},[t]),e.error?c`<span class="muted">unavailable</span>`:e.executions===null?c`<span class="muted">…</span>`:e.executions.length===0?c`<span class="muted">never run</span>`:c`<ul class="recent">
    ${e.executions.map(n=>c`<li>
        <${x} href=${ve(n.workflow_execution_id)} title=${n.workflow_execution_id}>
          <${R} status=${n.status} />
        </${x}>
      </li>`)}
  </ul>`}function Ct({params:t}){let e=t.get("q")||"",[o,n]=g({workflows:[],nextToken:"",error:null,loading:!0}),s=a=>{n(l=>({...l,loading:!0})),k.listWorkflows({pageSize:ho,pageToken:a}).then(l=>n(p=>({workflows:a?[...p.workflows,...l.workflows||[]]:l.workflows||[],nextToken:l.next_page_token||"",error:null,loading:!1})),l=>n(p=>({...p,error:l,loading:!1})))};T(()=>{document.title="Workflows \xB7 Dataflow",s("")},[]);let r=e.trim().toLowerCase(),i=r?o.workflows.filter(a=>(a.title||"").toLowerCase().includes(r)):o.workflows;return c`<section>
    <div class="page-head">
      <h1>Workflows</h1>
      <form class="search" role="search" onSubmit=${a=>a.preventDefault()}>
        <label for="workflow-search">Search by title</label>
        <input
          id="workflow-search"
          type="search"
          value=${e}
          onInput=${a=>se({q:a.currentTarget.value})}
        />
      </form>
    </div>
    <${C} error=${o.error} />
    ${o.loading&&o.workflows.length===0&&c`<${z} what="Loading workflows" />`}
    ${!o.loading&&o.workflows.length===0&&!o.error&&c`<p class="empty">No workflows yet. Create one with <code>POST /workflows</code>.</p>`}
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
                <${x} href=${ie(a.workflow_id)} class="title">${a.title||a.workflow_id}</${x}>
                ${a.description&&c`<div class="muted description">${a.description}</div>`}
                ${a.state==="WORKFLOW_STATE_ARCHIVED"&&c`<span class="tag">archived</span>`}
              </td>
              <td>v${a.workflow_version}</td>
              <td><${D} value=${a.updated_at||a.created_at} /></td>
              <td><${vo} workflowId=${a.workflow_id} /></td>
            </tr>`)}
        </tbody>
      </table>
    </div>`}
    ${r&&i.length===0&&o.workflows.length>0&&c`<p class="empty">No loaded workflow has “${e}” in its title.</p>`}
    ${o.nextToken&&c`<p>
      <button type="button" onClick=${()=>s(o.nextToken)} disabled=${o.loading}>
        Load more workflows
      </button>
      ${r&&c`<span class="muted"> (search covers the workflows loaded so far)</span>`}
    </p>`}
  </section>`}function go(){let[t,e]=g(""),[o,n]=g("");return c`<form class="id-box" role="search" onSubmit=${r=>{r.preventDefault();let i=t.trim();if(i.startsWith("we-"))F(`/ui/executions/${encodeURIComponent(i)}`);else if(i.startsWith("wf-"))F(`/ui/workflows/${encodeURIComponent(i)}`);else{n("Enter a workflow id (wf-\u2026) or an execution id (we-\u2026).");return}n(""),e("")}}>
    <label for="goto-id">Go to id</label>
    <input
      id="goto-id"
      name="id"
      placeholder="we-… or wf-…"
      autocomplete="off"
      spellcheck="false"
      value=${t}
      onInput=${r=>e(r.currentTarget.value)}
      aria-describedby=${o?"goto-id-problem":void 0}
    />
    <button type="submit">Go</button>
    ${o&&c`<span id="goto-id-problem" class="field-error" role="alert">${o}</span>`}
  </form>`}function wo(){return c`<section>
    <h1>Page not found</h1>
    <p><${x} href="/ui/">Back to the workflows</${x}></p>
  </section>`}function yo(){let t=wt(),e=gt(t.pathname),o=new URLSearchParams(t.search),n;return e.view==="workflows"?n=c`<${Ct} params=${o} />`:e.view==="workflow"?n=c`<${Nt} key=${e.id} workflowId=${e.id} params=${o} />`:e.view==="execution"?n=c`<${St} key=${e.id} executionId=${e.id} />`:n=c`<${wo} />`,c`<header class="top">
      <${x} href="/ui/" class="brand">Dataflow</${x}>
      <${go} />
    </header>
    <main id="main">${n}</main>`}Ne(c`<${yo} />`,document.getElementById("app"));
