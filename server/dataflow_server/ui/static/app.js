/* Dataflow console, bundled by make gen-ui from server/dataflow_server/ui/src with Preact 11.2.0 (MIT) and htm 3.1.1 (Apache-2.0). */
var y,Fe,Dt,O,ge,_e,je,ce,qe,ye,we,Pt,Y=Symbol.for("pv"),fe={},pe=[],Lt=/^m(i|n|o|s|text|space)$/,ke=Array.isArray,be=pe.slice,G=Object.assign;function q(t){t&&t.parentNode&&t.remove()}function Ge(t,e,o){var n,i,r,s={},a=arguments.length;for(r in e)r=="key"?n=e[r]:r=="ref"&&typeof t!="function"?i=e[r]:s[r]=e[r];return a>2&&(s.children=a>3?be.call(arguments,2):o),Q(t,s,n,i,null)}function Q(t,e,o,n,i){var r={type:t,props:e,key:o,ref:n,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Y,__v:i||++Fe,__i:-1,__u:0};return!i&&y.vnode&&y.vnode(r),r}function Z(t){return t.children}function ue(t,e){this.props=t,this.context=e,this.__g=0}function U(t,e){if(e==null)return t.__&&U(t.__,t.__i+1);for(var o;e<t.__k.length;e++)if((o=t.__k[e])&&o.__e)return o.__e;return typeof t.type!="function"||t.props.__P?null:U(t)}function Rt(t){var e,o=t.__v,n=o.__e,i=[],r=[],s=t.__P;s&&((e=G({constructor:Y},o)).__v=o.__v+1,y.vnode&&y.vnode(e),xe(s,e,o,t.__n,s.namespaceURI,32&o.__u?[n]:null,i,n||U(o),32&o.__u,r),e.__v=o.__v,e.__.__k[e.__i]=e,Ye(i,e,r),o.__=o.__e=null,e.__e!=n&&Je(e))}function Je(t){if((t=t.__)&&t.__c&&!t.props.__P)return t.__e=null,t.__k.some(function(e){return e&&(t.__e=e.__e)}),Je(t)}function Ve(t){(8&t.__g||(t.__g|=8,O.push(t),_e++))&&ge==y.debounceRendering||((ge=y.debounceRendering)||queueMicrotask)(Ke)}function Ke(){try{for(var t,e=1;O.length;)O.length>e&&O.sort(je),t=O.shift(),e=O.length,8&t.__g&&Rt(t)}finally{(_e=O.length)&&(ge||queueMicrotask)(Ke)}}function ze(t,e,o,n,i,r,s,a,l,p,c){var _,m,d,f,h,$,w=n.__k||pe,v=e.length;for(l=At(o,e,w,l,v),_=0;_<v;_++)(d=o.__k[_])!=null&&(m=~d.__i&&w[d.__i]||fe,d.__i=_,$=xe(t,d,m,i,r,s,a,l,p,c),f=d.__e,(m.ref!=d.ref||8&m.__u)&&(m.ref&&Ee(m.ref,null,d,m),d.ref&&c.push(d.ref,d.__c||f,d)),h=h||f,4&d.__u?(l=Xe(d,l,t,!m.__v),m.__e&&(m.__e=null)):typeof d.type=="function"&&$!==void 0?l=$:f&&(l=f.nextSibling),d.__u&=-21);return o.__e=h,l}function At(t,e,o,n,i){var r,s,a,l,p,c,_,m,d,f=o.length,h=f,$=0,w=0,v=t.__k=Array(i);for(r=0;r<i;r++)(s=e[r])!=null&&typeof s!="boolean"&&typeof s!="function"?(typeof s!="object"||s.constructor===String?s=v[r]=Q(null,s):ke(s)?s=v[r]=Q(Z,{children:s}):s.constructor===Y&&s.__b?s=v[r]=Q(s.type,s.props,s.key,s.ref,s.__v):v[r]=s,l=r+$,s.__=t,s.__b=t.__b+1,a=null,~(p=s.__i=Wt(s,o,l,h))&&(h--,(a=o[p])&&(a.__u|=2)),a&&a.__v?(s.__u|=16,p==l-1?$--:p==l+1?$++:p!=l&&(p>l?$--:$++,w=1)):(~p||(i>f?$--:i<f&&$++),typeof s.type!="function"&&(s.__u|=4))):v[r]=null;if(w){for(c=[],_=[],r=0;r<i;r++)if((s=v[r])&&16&s.__u){for($=0,m=c.length;$<m;)c[d=$+m>>1]<s.__i?$=d+1:m=d;c[$]=s.__i,_[r]=$+1}for($=c.length;r--;)_[r]&&(_[r]==$?$--:v[r].__u|=4)}if(h)for(r=0;r<f;r++)!(a=o[r])||2&a.__u||(a.__e==n&&(n=U(a)),Se(a,a));return n}function Xe(t,e,o,n){var i,r,s,a;if(typeof t.type=="function"){if(t.props.__P)return e;if(i=t.__k)for(r=0;r<i.length;r++)i[r]&&(i[r].__=t,e=Xe(i[r],e,o,!1));return e}for(e&&!e.parentNode&&(e=U(t))&&!e.parentNode&&(e=null),s=t.__e,a=e;a&&a.nodeType==8;)a=a.nextSibling;for(s!=a&&(!n&&o.moveBefore&&s.parentNode?o.moveBefore(s,e):o.insertBefore(s,e||null)),e=s;(e=e&&e.nextSibling)&&e.nodeType==8&&!e.data.startsWith("$s"););return e}function Wt(t,e,o,n){var i,r=t.key,s=t.type,a=e[o],l=a&&!(2&a.__u);if(a===null&&r==null||l&&r==a.key&&s==a.type)return o;if(n>(l?1:0)){for(i=o-1;i>=0;i--)if((a=e[i])&&!(2&a.__u)&&r==a.key&&s==a.type)return i;for(i=o+1;i<e.length;i++)if((a=e[i])&&!(2&a.__u)&&r==a.key&&s==a.type)return i}return-1}function He(t,e,o){o==null&&(o=""),e[0]=="-"?t.setProperty(e,o):t[e]=o}function le(t,e,o,n,i){var r,s;if(e=="style")if(typeof o=="string")t.style.cssText=o;else{if(typeof n=="string"&&(t.style.cssText=n=""),n)for(e in n)o&&e in o||He(t.style,e);if(o)for(e in o)n&&o[e]==n[e]||He(t.style,e,o[e])}else if(e[0]=="o"&&e[1]=="n")typeof o!="function"&&(o=null),typeof n!="function"&&(n=null),(t.__e||(t.__e={}))[e]=o,o&&n||(s=we[e]||(we[e]=It(e)),(t.__a||(t.__a={}))[e]=ye,r=e!=(e=e.replace(qe,"$1")),(e=e.slice(2))[0]<"a"&&(e=e.toLowerCase()),o?t.addEventListener(e,s,r):t.removeEventListener(e,s,r));else{if(i=="http://www.w3.org/2000/svg")e=e.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(e!="width"&&e!="height"&&e!="href"&&e!="list"&&e!="form"&&e!="tabIndex"&&e!="download"&&e!="rowSpan"&&e!="colSpan"&&e!="role"&&e!="popover"&&e in t)try{return void(t[e]=o??"")}catch{}if(typeof o=="function")return;o==null||o===!1&&e[4]!="-"?t.removeAttribute(e):t.setAttribute(e,e=="popover"&&o==1?"":o)}}function It(t){return function(e){var o=this.__e;if(o){if(o=o[t],e[ce]==null)e[ce]=ye++;else if(e[ce]<this.__a[t])return;return o(y.event?y.event(e):e)}}}function xe(t,e,o,n,i,r,s,a,l,p){var c,_,m,d,f,h,$,w,v,E,b,ve,Ue,ae,F,Be,M,j,W=e.type;if(e.constructor!==Y)return null;128&o.__u&&(l=32&o.__u,c=o.__c.__z)&&(e.__u|=l,_=r=[],c.nodeType==8?a=de(c,r):r.push(c),a=r[0]||a),(c=y.__b)&&c(e);e:if(typeof W=="function"){m=s.length;try{if(w=e.props,v=(c=W.prototype)&&c.render,E=(c=W.contextType)&&n[c.__c],b=c?E?E.props.value:c.__:n,(d=o.__c)?(e.__c=d,2&d.__g&&(d.__g|=1)):(v?e.__c=d=new W(w,b):(e.__c=d=new ue(w,b),d.constructor=W,d.render=Ot),E&&E.sub(d),d.state||(d.state={}),d.__n=n,d.__g|=8,d.__h=[],d.__k=[]),v&&(d.__s||(d.__s=d.state),W.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=G({},d.__s)),G(d.__s,W.getDerivedStateFromProps(w,d.__s)))),f=d.props,h=d.state,d.__v=e,o.__c){if(w!==f&&v&&!W.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(w,b),e.__v==o.__v&&!(8&d.__g)||!(4&d.__g)&&d.shouldComponentUpdate&&d.shouldComponentUpdate(w,d.__s,b)===!1){e.__v!=o.__v&&(d.props=w,d.state=d.__s,d.__g&=-9),e.__e=o.__e,e.__k=o.__k,e.__k.some(function(L){L&&(L.__=e)}),pe.push.apply(d.__h,d.__k),d.__k=[],d.__h.length&&s.push(d),a=U(o);break e}d.componentWillUpdate&&d.componentWillUpdate(w,d.__s,b),v&&d.componentDidUpdate&&d.__h.push(function(){d.componentDidUpdate(f,h,$)})}else v&&!W.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),v&&d.componentDidMount&&d.__h.push(d.componentDidMount);d.context=b,d.props=w,d.__P=t,d.__g&=-5,ve=y.__r,Ue=v?25:0;do d.__g&=-9,ve&&ve(e),c=d.render(d.props,d.state=d.__s,d.context);while(8&d.__g&&++Ue<25);v&&(pe.push.apply(d.__h,d.__k),d.__k=[]),d.state=d.__s,d.getChildContext&&(n=G({},n,d.getChildContext())),v&&o.__c&&d.getSnapshotBeforeUpdate&&($=d.getSnapshotBeforeUpdate(f,h)),ae=c&&c.type===Z&&c.key==null?c.props.children:c,w.__P&&(c=a,i=(t=w.__P).namespaceURI,l=r=null,o.props&&o.props.__P!=t&&(o.__k.some(function(L){L&&Se(L,L)}),o.__k=null),a=o.__k?U(o,0):null),a=ze(t,ke(ae)?ae:[ae],e,o,n,i,r,s,a,l,p),w.__P&&(e.__e=null,a=c),e.__u&=-161,_&&_.some(q),d.__h.length&&s.push(d),1&d.__g&&(d.__g&=-4)}catch(L){if(s.length=m,e.__v=null,l||r)if(L&&L.then){if(e.__u|=128|l,r){for(~(M=r.indexOf(a||void 0))||(M=r.length);(j=r[M-1])&&j.nodeType==8;)M--;for(;M<r.length;M++)if(j=r[M])if(r[M]=null,F){if(j==Be)break}else{if(j.nodeType!=8)break;j.data.startsWith("$s")&&(Be=de(F=j))}}if(!F){for(;a&&a.nodeType==8&&a.nextSibling;)a=a.nextSibling;F=a}(c=de(F=e.__c.__z||(e.__c.__z=F)))?(e.__e=F,a=c):e.__e=a,a=a&&a.nextSibling}else r&&r.some(q);else e.__e=o.__e;e.__k||(e.__k=o.__k||[]),L&&L.then||Qe(e),y.__e(L,e,o)}}else a=e.__e=Mt(o.__e,e,o,n,i,r,s,l,p,t);return(c=y.diffed)&&c(e),a}function de(t,e){if(t&&t.nodeType==8&&t.data.startsWith("$s"))for(var o=1;t=t.nextSibling;){if(t.nodeType==8){if(t.data.startsWith("$s"))o++;else if(t.data.startsWith("/$s")&&!--o)return t}e&&e.push(t)}}function Qe(t){t&&(t.__c&&(t.__c.__g|=4),t.__k&&t.__k.some(Qe))}function Ye(t,e,o){for(var n=0;n<o.length;)Ee(o[n++],o[n++],o[n++]);y.__c&&y.__c(e,t),t.some(function(i){try{t=i.__h,i.__h=[],t.some(function(r){r.call(i)})}catch(r){y.__e(r,i.__v)}})}function Mt(t,e,o,n,i,r,s,a,l,p){var c,_,m,d,f,h,$,w,v=o.props||fe,E=e.props,b=e.type;if(b=="svg"?i="http://www.w3.org/2000/svg":b=="math"?i="http://www.w3.org/1998/Math/MathML":i||(i="http://www.w3.org/1999/xhtml"),r){for(c=0;c<r.length;c++)if((f=r[c])&&(b?f.localName==b:f.nodeType==3)){t=f,r[c]=null;break}}if(!t){if(w=p.ownerDocument||document,!b)return w.createTextNode(E);t=w.createElementNS(i,b,E.is?E:p),a&&(y.__m&&y.__m(e,r),a=!1),r=null}if(b){if(p=b=="template"&&t.content||t,r=b=="textarea"&&E.defaultValue!=null?null:r&&be.call(p.childNodes),!a&&r)for(v={},c=0;c<t.attributes.length;c++)v[(f=t.attributes[c]).name]=f.value;for(c in v)f=v[c],c=="dangerouslySetInnerHTML"?m=f:c=="children"||c in E||c=="value"&&"defaultValue"in E||c=="checked"&&"defaultChecked"in E||le(t,c,null,f,i);for(c in E)f=E[c],c=="children"?d=f:c=="dangerouslySetInnerHTML"?_=f:c=="value"?h=f:c=="checked"?$=f:a&&typeof f!="function"||v[c]===f||le(t,c,f,v[c],i);_?(a||m&&(_.__html==m.__html||_.__html==t.innerHTML)||(t.innerHTML=_.__html),e.__k=[]):(m&&(t.textContent=""),(b=="foreignObject"||i=="http://www.w3.org/1998/Math/MathML"&&Lt.test(b))&&(i="http://www.w3.org/1999/xhtml"),ze(p,ke(d)?d:[d],e,o,n,i,r,s,r?r[0]:o.__k&&U(o,0),a,l),r&&r.some(q)),a&&b!="textarea"||(c="value",b=="progress"&&h==null?t.removeAttribute(c):h==null||h===t[c]&&(b!="progress"||h)||le(t,c,h,v[c],i),c="checked",$!=null&&$!=t[c]&&le(t,c,$,v[c],i))}else v===E||a&&t.data==E||(t.data=E);return t}function Ee(t,e,o,n){try{typeof t=="function"?e?e.__x=t(e)||1:n&&(n=n.__c||n.__e)&&(e=n.__x)&&(n.__x=null,typeof e=="function"?e():t(null)):t.current=e}catch(i){y.__e(i,o)}}function Se(t,e,o){var n,i,r,s;if(y.unmount&&y.unmount(t),!(n=t.ref)||n.current&&n.current!=t.__e||Ee(n,null,e,t),n=t.__c){if(n.componentWillUnmount)try{n.componentWillUnmount()}catch(a){y.__e(a,e)}n.__P=n.__n=null}if(n=t.__k)for(s=0;s<n.length;s++)n[s]&&Se(n[s],e,typeof t.type!="function"||o&&!t.props.__P);!o&&(n=t.__c)&&(n=n.__z)&&(i=de(n,r=[]))&&(n==t.__e&&r.some(q),q(i),q(n)),o||q(t.__e),t.__e=t.__c=t.__=null}function Ot(t,e,o){return this.constructor(t,o)}function Te(t,e){var o,n,i,r;y.__&&y.__(t,e),e.nodeType==9&&(e=e.documentElement),n=(o=t&&32&t.__u)?null:e.__k,e.__k=Q(Z,{children:[t]}),i=[],r=[],xe(e,e.__k,n||fe,fe,e.namespaceURI,n?null:e.firstChild?be.call(e.childNodes):null,i,n?n.__e:e.firstChild,o,r),Ye(i,e.__k,r),e.__k.props.children=null}y={__e:function(t,e,o,n){for(var i,r,s;e=e.__;)if((i=e.__c)&&!(1&i.__g)){i.__g|=4;try{if((s=(r=i.constructor)&&r.getDerivedStateFromError)&&i.setState(r.getDerivedStateFromError(t)),i.componentDidCatch&&(i.componentDidCatch(t,n||{}),s=1),s&&8&i.__g)return void(i.__g|=2)}catch(a){t=a}}throw _e=0,t}},Fe=0,Dt=function(t){return t!=null&&t.constructor===Y},ue.prototype.setState=function(t,e){var o=this.__s;o&&o!=this.state||(o=this.__s=G({},this.state)),typeof t=="function"&&(t=t(G({},o),this.props)),t&&(G(o,t),this.__v&&(e&&this.__k.push(e),Ve(this)))},ue.prototype.forceUpdate=function(t){this.__v&&(this.__g|=4,t&&this.__h.push(t),Ve(this))},ue.prototype.render=Z,O=[],_e=0,je=function(t,e){return t.__v.__b-e.__v.__b},ce=Symbol(),qe=/(PointerCapture)$|Capture$/i,ye=0,we={},Pt=0;var te,T,Ce,Ze,Ne=Object.is,oe=0,lt=[],De=[],S=y,et=S.__b,tt=S.__r,ot=S.diffed,nt=S.__c,rt=S.unmount,it=S.__;function Le(t,e){S.__h&&S.__h(T,t,oe||e),oe=0;var o=T.__H||(T.__H={__:[],__h:[]});return t>=o.__.length&&o.__.push({}),o.__[t]}function g(t){return oe=1,Ut(ut,t)}function Ut(t,e,o){var n=Le(te++,2);if(n.t=t,!n.__c&&(n.__=[o?o(e):ut(void 0,e),function(r){var s=(n.__N||n.__)[0],a=n.t(s,r);Ne(s,a)||(n.__N=[a,n.__[1]],n.__c.setState({}))}],n.__c=T,!T.__f)){T.__f=!0;var i=T.shouldComponentUpdate;T.shouldComponentUpdate=function(r,s,a){var l=this.__H;if(!l)return!0;var p=!1,c=this.props!=r;if(l.__.some(function(m){m.__N&&(p=!0,Ne(m.__[0],m.__N[0])||(c=!0))}),i){var _=i.call(this,r,s,a);return p?_||c:_}return!p||c}}return n.__}function C(t,e){var o=Le(te++,3);!S.__s&&ct(o.__H,e)&&(o.__P=!0,o.__=t,o.u=e,T.__H.__h.push(o))}function B(t){return oe=5,Re(function(){return{current:t}},[])}function Re(t,e){var o=Le(te++,7);return ct(o.__H,e)&&(o.__=t(),o.__H=e),o.__}function me(t,e){return oe=8,Re(function(){return t},e)}function Bt(){var t;do{for(;t=De.shift();)try{ee(t)}catch(o){S.__e(o,{__:(t=t.__P)&&t.__v})}for(;t=lt.shift();){var e=t.__H;if(t.__P&&e)try{e.__h.some(ee),e.__h.some(Pe),e.__h=[]}catch(o){e.__h=[],S.__e(o,t.__v)}}}while(De.length)}S.__b=function(t){T=null,et&&et(t)},S.__=function(t,e){t&&e.__k&&e.__k.__m&&(t.__m=e.__k.__m),it&&it(t,e)},S.__r=function(t){tt&&tt(t),te=0;var e=(T=t.__c).__H;e&&(Ce==T?T.__h=[]:(e.__h.some(ee),e.__h.some(Pe),te=0),e.__h=[],e.__.some(function(o){o.__N&&(o.__=o.__N),o.u=o.__N=void 0})),Ce=T},S.diffed=function(t){ot&&ot(t);var e=t.__c;e&&e.__H&&(e.__H.__h.length&&at(lt.push(e)),e.__H.__.some(function(o){o.u&&(o.__H=o.u)})),Ce=T=null},S.__c=function(t,e){e.some(function(o){try{o.__h.some(ee),o.__h=o.__h.filter(function(n){return!n.__||Pe(n)})}catch(n){o.__h=[function(){throw n}]}}),nt&&nt(t,e)},S.unmount=function(t){rt&&rt(t);var e,o,n=t.__c;n&&n.__H&&(n.__H.__.some(function(i){try{if(i.__P&&i.__c){if(o===void 0){for(o=t.__;o&&(!o.__c||!o.__c.__P);)o=o.__;o=o&&o.__c}i.__P=o,at(De.push(i))}else ee(i)}catch(r){e=r}}),n.__H=void 0,e&&S.__e(e,n.__v))};var st=typeof requestAnimationFrame=="function";function Vt(t){var e,o=function(){clearTimeout(n),st&&cancelAnimationFrame(e),setTimeout(t)},n=setTimeout(o,35);st&&(e=requestAnimationFrame(o))}function at(t){t!=1&&Ze==S.requestAnimationFrame||((Ze=S.requestAnimationFrame)||Vt)(Bt)}function ee(t){var e=T,o=t.__c;typeof o=="function"&&(t.__c=void 0,o()),T=e}function Pe(t){var e=T;t.__c=t.__(),T=e}function ct(t,e){return!t||t.length!=e.length||e.some(function(o,n){return!Ne(o,t[n])})}function ut(t,e){return typeof e=="function"?e(t):e}var _t=function(t,e,o,n){var i;e[0]=0;for(var r=1;r<e.length;r++){var s=e[r++],a=e[r]?(e[0]|=s?1:2,o[e[r++]]):e[++r];s===3?n[0]=a:s===4?n[1]=Object.assign(n[1]||{},a):s===5?(n[1]=n[1]||{})[e[++r]]=a:s===6?n[1][e[++r]]+=a+"":s?(i=t.apply(a,_t(t,a,o,["",null])),n.push(i),a[0]?e[0]|=2:(e[r-2]=0,e[r]=i)):n.push(a)}return n},dt=new Map;function ft(t){var e=dt.get(this);return e||(e=new Map,dt.set(this,e)),(e=_t(this,e.get(t)||(e.set(t,e=(function(o){for(var n,i,r=1,s="",a="",l=[0],p=function(m){r===1&&(m||(s=s.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?l.push(0,m,s):r===3&&(m||s)?(l.push(3,m,s),r=2):r===2&&s==="..."&&m?l.push(4,m,0):r===2&&s&&!m?l.push(5,0,!0,s):r>=5&&((s||!m&&r===5)&&(l.push(r,0,s,i),r=6),m&&(l.push(r,m,0,i),r=6)),s=""},c=0;c<o.length;c++){c&&(r===1&&p(),p(c));for(var _=0;_<o[c].length;_++)n=o[c][_],r===1?n==="<"?(p(),l=[l],r=3):s+=n:r===4?s==="--"&&n===">"?(r=1,s=""):s=n+s[0]:a?n===a?a="":s+=n:n==='"'||n==="'"?a=n:n===">"?(p(),r=1):r&&(n==="="?(r=5,i=s,s=""):n==="/"&&(r<5||o[c][_+1]===">")?(p(),r===3&&(l=l[0]),r=l,(l=l[0]).push(2,0,r),r=0):n===" "||n==="	"||n===`
`||n==="\r"?(p(),r=2):s+=n),r===3&&s==="!--"&&(r=4,l=l[0])}return p(),l})(t)),e),arguments,[])).length>1?e:e[0]}var u=ft.bind(Ge);var Ae=class extends Error{constructor(e,o){super(o.detail||o.title||`HTTP ${e}`),this.status=e,this.title=o.title||`HTTP ${e}`,this.violations=Array.isArray(o.field_violations)?o.field_violations:[]}},V=encodeURIComponent,he=t=>`/workflows/${V(t.workflow_id)}/executions/${V(t.workflow_execution_id)}`;function ne(t){let e=new URLSearchParams;for(let[n,i]of Object.entries(t))i!=null&&i!==""&&e.set(n,String(i));let o=e.toString();return o?`?${o}`:""}async function A(t,e,o,n={}){let i={method:t,headers:{Accept:"application/json"},signal:n.signal};o instanceof Blob?(i.body=o,i.headers["Content-Type"]=o.type||"application/octet-stream",Object.assign(i.headers,n.headers||{})):o!==void 0&&(i.body=JSON.stringify(o),i.headers["Content-Type"]="application/json");let r=await fetch(e,i),s=await r.text(),a={};if(s)try{a=JSON.parse(s)}catch{a={title:`HTTP ${r.status}`,detail:s.slice(0,200)}}if(!r.ok)throw new Ae(r.status,a);return a}var k={listWorkflows:({pageSize:t,pageToken:e}={},o)=>A("GET",`/workflows${ne({page_size:t,page_token:e})}`,void 0,{signal:o}),getWorkflow:(t,e,o)=>A("GET",`/workflows/${V(t)}${ne({workflow_version:e})}`,void 0,{signal:o}),listExecutions:(t,{status:e,pageSize:o,pageToken:n,view:i}={},r)=>A("GET",`/workflows/${V(t)}/executions${ne({status:e,page_size:o,page_token:n,view:i})}`,void 0,{signal:r}),executeWorkflow:(t,e)=>A("POST",`/workflows/${V(t)}/executions`,e),getExecution:(t,e)=>A("GET",`/executions/${V(t)}`,void 0,{signal:e}),cancelExecution:t=>A("POST",`${he(t)}/cancel`,{}),retryExecution:t=>A("POST",`${he(t)}/retry`,{}),listWebhookDeliveries:(t,e)=>A("GET",`${he(t)}/webhook-deliveries`,void 0,{signal:e}),redeliverWebhook:t=>A("POST",`/webhook-deliveries/${V(t)}/redeliver`,{}),uploadFile:t=>A("POST",`/files${ne({name:t.name})}`,t),fileContentUrl:t=>`/files/${V(t)}/content`,eventsUrl:(t,e)=>`${he(t)}/events${ne({last_event_id:e})}`};var pt=["PENDING","RUNNING","COMPLETED","FAILED","CANCELLED"],We=new Set(["PENDING","RUNNING"]);function P(t){if(!t)return null;let e=Date.parse(t);return Number.isNaN(e)?null:e}function mt(t){let e=P(t);return e===null?"\u2014":new Date(e).toLocaleString(void 0,{year:"numeric",month:"short",day:"numeric",hour:"2-digit",minute:"2-digit",second:"2-digit"})}function J(t){if(t==null||Number.isNaN(t))return"\u2014";if(t<1e3)return`${Math.max(0,Math.round(t))} ms`;let e=t/1e3;if(e<60)return`${e.toFixed(e<10?2:1)} s`;let o=Math.floor(e/60);return o<60?`${o} min ${Math.round(e%60)} s`:`${Math.floor(o/60)} h ${o%60} min`}function z(t,e,o=Date.now()){let n=P(t);return n===null?null:(P(e)??o)-n}function ht(t){let e=Number(t);return Number.isFinite(e)?e<1024?`${e} B`:e<1024*1024?`${(e/1024).toFixed(1)} KiB`:`${(e/1024/1024).toFixed(1)} MiB`:""}function $t(t){return t!==null&&typeof t=="object"&&!Array.isArray(t)&&typeof t.file_id=="string"&&t.file_id!==""}var vt="/ui",Ie="dataflow:navigate";function H(t,{replace:e=!1}={}){e?history.replaceState(null,"",t):history.pushState(null,"",t),window.dispatchEvent(new Event(Ie))}function re(t){let e=new URLSearchParams(location.search);for(let[n,i]of Object.entries(t))i==null||i===""?e.delete(n):e.set(n,String(i));let o=e.toString();H(`${location.pathname}${o?`?${o}`:""}`,{replace:!0})}function gt(t){let e=t.startsWith(vt)?t.slice(vt.length):t,o;return e===""||e==="/"?{view:"workflows"}:(o=e.match(/^\/workflows\/([^/]+)\/?$/))?{view:"workflow",id:decodeURIComponent(o[1])}:(o=e.match(/^\/executions\/([^/]+)\/?$/))?{view:"execution",id:decodeURIComponent(o[1])}:{view:"not-found"}}function wt(){let t=()=>({pathname:location.pathname,search:location.search}),[e,o]=g(t);return C(()=>{let n=()=>o(t());return window.addEventListener("popstate",n),window.addEventListener(Ie,n),()=>{window.removeEventListener("popstate",n),window.removeEventListener(Ie,n)}},[]),e}var Ht={PENDING:"\u25CB",RUNNING:"\u25D4",COMPLETED:"\u2713",DELIVERED:"\u2713",FAILED:"\u2715",CANCELLED:"\u2298",SKIPPED:"\u21B7"};function R({status:t}){let e=t||"UNKNOWN";return u`<span class=${`status status-${e.toLowerCase()}`} data-status=${e}>
    <span class="status-icon" aria-hidden="true">${Ht[e]||"?"}</span>
    ${e}
  </span>`}function x({href:t,children:e,...o}){return u`<a href=${t} onClick=${i=>{i.button!==0||i.metaKey||i.ctrlKey||i.shiftKey||i.altKey||(i.preventDefault(),H(t))}} ...${o}>${e}</a>`}var ie=t=>`/ui/workflows/${encodeURIComponent(t)}`,$e=t=>`/ui/executions/${encodeURIComponent(t)}`;function D({value:t}){return t?u`<time datetime=${t} title=${t}>${mt(t)}</time>`:"\u2014"}function N({error:t,title:e="Request failed"}){if(!t)return null;let o=t.violations||[];return u`<div class="error-box" role="alert">
    <strong>${t.title||e}</strong>
    <p>${t.message}</p>
    ${o.length>0&&u`<ul>
      ${o.map(n=>u`<li><code>${n.field}</code>: ${n.description}</li>`)}
    </ul>`}
  </div>`}function K({what:t="Loading"}){return u`<p class="muted" aria-live="polite">${t}…</p>`}function se({value:t}){return u`<pre class="json">${JSON.stringify(t,null,2)}</pre>`}function Ft({file:t}){let e=k.fileContentUrl(t.file_id),o=t.content_type||"",n=t.name||t.file_id,i=null;return o.startsWith("audio/")?i=u`<audio controls preload="metadata" src=${e} aria-label=${`Play ${n}`}></audio>`:o.startsWith("image/")?i=u`<img class="preview" src=${e} alt=${n} loading="lazy" />`:o.startsWith("video/")&&(i=u`<video controls preload="metadata" src=${e} aria-label=${n}></video>`),u`<div class="file">
    ${i}
    <div>
      <a href=${e} download=${n}>Download ${n}</a>
      <span class="muted"> ${o} ${ht(t.size_bytes)}</span>
    </div>
  </div>`}function jt({value:t}){return t==null?u`<span class="muted">—</span>`:$t(t)?u`<${Ft} file=${t} />`:typeof t=="string"?u`<pre class="text">${t}</pre>`:typeof t=="number"||typeof t=="boolean"?u`<code>${String(t)}</code>`:u`<${se} value=${t} />`}function X({values:t,empty:e="None"}){let o=Object.entries(t||{});return o.length===0?u`<p class="muted">${e}</p>`:u`<dl class="values">
    ${o.map(([n,i])=>u`<div class="value-row">
        <dt>${n}</dt>
        <dd><${jt} value=${i} /></dd>
      </div>`)}
  </dl>`}function yt({hasPrevious:t,nextToken:e,onPrevious:o,onNext:n,label:i}){return!t&&!e?null:u`<nav class="pager" aria-label=${i}>
    <button type="button" onClick=${o} disabled=${!t}>← Previous</button>
    <button type="button" onClick=${n} disabled=${!e}>Next →</button>
  </nav>`}function I(t,e){let[o,n]=g({data:null,error:null,loading:!0}),i=B(null),r=me(()=>{i.current?.abort();let a=new AbortController;i.current=a,n(l=>({...l,loading:!0})),t(a.signal).then(l=>!a.signal.aborted&&n({data:l,error:null,loading:!1}),l=>!a.signal.aborted&&n({data:null,error:l,loading:!1}))},e);C(()=>(r(),()=>i.current?.abort()),[r]);let s=me(a=>{n(l=>({...l,data:typeof a=="function"?a(l.data):a}))},[]);return{...o,reload:r,setData:s}}function kt(t,e=1e3){let[o,n]=g(Date.now());return C(()=>{if(!t)return;let i=setInterval(()=>n(Date.now()),e);return()=>clearInterval(i)},[t,e]),o}var qt=["execution.pending","execution.running","execution.completed","execution.failed","execution.cancelled","task.running","task.completed","task.failed","task.skipped","task.retrying","task.cancelled"],Gt=new Set(["execution.completed","execution.failed","execution.cancelled"]),Jt=5e3;function bt(t,e,o,n){let[i,r]=g("idle"),s=B(null),a=B(n);return a.current=n,C(()=>{if(!o||!t)return;let l=null,p=null,c=!1,_=250,m=()=>{r(s.current===null?"connecting":"reconnecting"),l=new EventSource(k.eventsUrl({workflow_id:t,workflow_execution_id:e},s.current)),l.onopen=()=>{_=250,r("live")};let d=f=>{f.lastEventId&&(s.current=f.lastEventId);let h;try{h=JSON.parse(f.data)}catch{return}a.current(h),Gt.has(f.type)&&(c=!0,l.close(),r("ended"))};for(let f of qt)l.addEventListener(f,d);l.onerror=()=>{l.close(),!c&&(r("reconnecting"),p=setTimeout(m,_),_=Math.min(_*2,Jt))}};return m(),()=>{c=!0,clearTimeout(p),l?.close()}},[t,e,o]),i}var Kt=.8;function zt(t,e){let o=new Map((t.tasks||[]).map(s=>[s.name,s])),n=e?.tasks||[],i=n.map(s=>({definition:s,run:o.get(s.name)||{name:s.name,type:s.type,status:"PENDING"}})),r=new Set(n.map(s=>s.name));for(let s of t.tasks||[])r.has(s.name)||i.push({definition:null,run:s});return i}function Xt(t,e,o){let n=e.map(a=>P(a.run.started_at)).filter(a=>a!==null),i=e.map(a=>P(a.run.completed_at)).filter(a=>a!==null),r=P(t.started_at)??(n.length?Math.min(...n):P(t.created_at)),s=P(t.completed_at)??Math.max(o,...i);return{start:r,span:Math.max(s-r,1)}}function Qt({row:t}){let{run:e,definition:o}=t;return u`<div class="task-details">
    <dl class="facts">
      <div><dt>Type</dt><dd>${e.type||o?.type}</dd></div>
      <div><dt>Status</dt><dd><${R} status=${e.status} /></dd></div>
      <div><dt>Attempts</dt><dd>${e.attempts||0}</dd></div>
      <div><dt>Started</dt><dd><${D} value=${e.started_at} /></dd></div>
      <div><dt>Completed</dt><dd><${D} value=${e.completed_at} /></dd></div>
    </dl>
    ${e.error&&u`<${N} error=${{title:e.error.code,message:e.error.message}} />`}
    ${e.inputs!==void 0?u`<h4>Inputs (resolved)</h4><${X} values=${e.inputs} />`:o&&u`<h4>Inputs (as defined)</h4><${se} value=${o.inputs||{}} />`}
    <h4>Outputs</h4>
    <${X} values=${e.outputs} empty="No outputs yet." />
  </div>`}function Yt({row:t,range:e,now:o}){let[n,i]=g(!1),{run:r}=t,s=P(r.started_at),a;if(s===null)a=u`<div class="tl-bar tl-none">not started</div>`;else{let p=P(r.completed_at)??o,c=Math.min(Math.max((p-s)/e.span*100,Kt),100),_=Math.min(Math.max((s-e.start)/e.span*100,0),100-c);a=u`<div
      class=${`tl-bar tl-${(r.status||"").toLowerCase()}`}
      style=${{left:`${_}%`,width:`${c}%`}}
    ></div>`}let l=`task-${r.name}-details`;return u`<li class="tl-row" data-task=${r.name}>
    <button type="button" class="tl-name" aria-expanded=${n?"true":"false"} aria-controls=${l}
      onClick=${()=>i(!n)}>
      <span aria-hidden="true">${n?"\u25BE":"\u25B8"}</span> ${r.name}
    </button>
    <div class="tl-track">${a}</div>
    <div class="tl-status">
      <${R} status=${r.status} />
      <span class="muted">${J(z(r.started_at,r.completed_at,o))}</span>
    </div>
    ${n&&u`<div id=${l} class="tl-details"><${Qt} row=${t} /></div>`}
  </li>`}function xt({execution:t,definition:e,now:o}){let n=zt(t,e);if(n.length===0)return u`<p class="muted">No tasks.</p>`;let i=Xt(t,n,o);return u`<div class="timeline">
    <div class="tl-axis" aria-hidden="true">
      <span></span>
      <div class="tl-ticks">
        ${[0,.25,.5,.75,1].map(s=>u`<span style=${{left:`${s*100}%`}}>${J(i.span*s)}</span>`)}
      </div>
      <span></span>
    </div>
    <ol class="tl-rows">
      ${n.map(s=>u`<${Yt} key=${s.run.name} row=${s} range=${i} now=${o} />`)}
    </ol>
  </div>`}var Zt=1e3,eo=3e4;function to(t,e=Date.now()){let o=t.filter(n=>n.status==="PENDING").map(n=>(P(n.next_attempt_at)??e)-e);return o.length===0?null:Math.min(Math.max(Math.min(...o),Zt),eo)}function oo(t){let e=t.attempts||[],o=e[e.length-1];return o?o.error?o.error:`HTTP ${o.status_code} in ${o.latency_ms??"?"} ms`:"\u2014"}function Et({execution:t,refreshKey:e}){let o=t.workflow_execution_id,[n,i]=g(0),[r,s]=g(null),a=I(_=>k.listWebhookDeliveries(t,_),[o,e,n]),l=async _=>{s(null);try{await k.redeliverWebhook(_),i(m=>m+1)}catch(m){s(m)}},p=a.data?.deliveries||[],c=to(p);return C(()=>{if(c===null)return;let _=setTimeout(a.reload,c);return()=>clearTimeout(_)},[a.data,c]),u`<section aria-labelledby="webhooks-heading">
    <h2 id="webhooks-heading">Webhook deliveries</h2>
    <p class="muted">To <code>${t.monitoring.webhook}</code></p>
    <${N} error=${a.error||r} />
    ${a.data&&p.length===0&&u`<p class="empty">No deliveries yet.</p>`}
    ${p.length>0&&u`<div class="table-wrap"><table class="deliveries">
      <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last attempt</th><th scope="col">Next attempt</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>
        ${p.map(_=>u`<tr key=${_.webhook_id}>
            <td><code>${_.event_type}</code> <span class="muted">#${_.sequence}</span></td>
            <td><${R} status=${_.status} /></td>
            <td>${_.attempt_count||0}</td>
            <td>${oo(_)}</td>
            <td><${D} value=${_.status==="PENDING"?_.next_attempt_at:void 0} /></td>
            <td><button type="button" onClick=${()=>l(_.webhook_id)} aria-label=${`Redeliver ${_.event_type} #${_.sequence}`}>Redeliver</button></td>
          </tr>`)}
      </tbody>
    </table></div>`}
  </section>`}var no=200,ro={connecting:"Connecting\u2026",live:"Live",reconnecting:"Reconnecting\u2026",ended:"Finished"};function io(t,e){let o={...t};return e.status&&e.type.startsWith("execution.")&&(o.status=e.status),e.task_name&&(o.tasks=(t.tasks||[]).map(n=>{if(n.name!==e.task_name)return n;let i={...n,status:e.task_status||n.status};return e.attempt&&(i.attempts=e.attempt),e.type==="task.running"&&!n.started_at&&(i.started_at=e.timestamp),["task.completed","task.failed","task.cancelled"].includes(e.type)&&(i.completed_at=e.timestamp),e.error&&(i.error=e.error),i})),o}function so({execution:t,onChange:e}){let[o,n]=g(!1),[i,r]=g(null),s=p=>async()=>{n(!0),r(null);try{let c=await p(t);e(c)}catch(c){r(c)}finally{n(!1)}},a=We.has(t.status),l=t.status==="FAILED"||t.status==="CANCELLED";return u`<div class="actions">
    ${a&&u`<button type="button" class="danger" disabled=${o} onClick=${s(k.cancelExecution)}>Cancel execution</button>`}
    ${l&&u`<button type="button" disabled=${o} onClick=${s(k.retryExecution)}>Retry execution</button>`}
    <${N} error=${i} />
  </div>`}function St({executionId:t}){let e=I(f=>k.getExecution(t,f),[t]),o=e.data,n=o?.workflow_id,i=o?.workflow_version,s=I(f=>n?k.getWorkflow(n,i,f):Promise.resolve(null),[n,i]).data,a=!!(o&&We.has(o.status)),l=kt(a),[p,c]=g(0),_=B(null),m=()=>{_.current||(_.current=setTimeout(()=>{_.current=null,k.getExecution(t).then(f=>e.setData(f),()=>{}),c(f=>f+1)},no))};C(()=>()=>clearTimeout(_.current),[]);let d=bt(n,t,a,f=>{f.execution?e.setData(f.execution):e.setData(h=>h&&io(h,f)),m()});return C(()=>{document.title=`${t} \xB7 ${o?.status||"\u2026"} \xB7 Dataflow`},[t,o?.status]),e.error?u`<section><h1><code>${t}</code></h1><${N} error=${e.error} /></section>`:o?u`<article class="execution">
    <nav class="breadcrumbs" aria-label="Breadcrumbs">
      <${x} href="/ui/">Workflows</${x}>${" / "}<${x} href=${ie(o.workflow_id)}>${s?.title||o.workflow_id}</${x}>${" / "}<code>${o.workflow_execution_id}</code>
    </nav>
    <div class="page-head">
      <h1>Execution <code>${o.workflow_execution_id}</code></h1>
      <div class="head-status">
        <${R} status=${o.status} />
        ${(a||d==="ended")&&u`<span class=${`live live-${d}`} aria-live="polite">${ro[d]||""}</span>`}
      </div>
    </div>
    <dl class="facts">
      <div><dt>Workflow</dt><dd><${x} href=${ie(o.workflow_id)}><code>${o.workflow_id}</code></${x}></dd></div>
      <div><dt>Version</dt><dd>v${o.workflow_version}</dd></div>
      <div><dt>Created</dt><dd><${D} value=${o.created_at} /></dd></div>
      <div><dt>Started</dt><dd><${D} value=${o.started_at} /></dd></div>
      <div><dt>Completed</dt><dd><${D} value=${o.completed_at} /></dd></div>
      <div><dt>Duration</dt><dd>${J(z(o.started_at,o.completed_at,l))}</dd></div>
    </dl>
    <${so} execution=${o} onChange=${f=>f&&e.setData(f)} />
    ${o.error&&u`<${N}
      error=${{title:`${o.error.code}${o.error.task_name?` in task ${o.error.task_name}`:""}`,message:o.error.message}}
    />`}
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Tasks</h2>
      <${xt} execution=${o} definition=${s} now=${l} />
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
    ${o.monitoring?.webhook&&u`<${Et} execution=${o} refreshKey=${p} />`}
  </article>`:u`<${K} what="Loading execution" />`}var Me=t=>t.required!==!1&&t.default===void 0;function ao(t){return t.type==="boolean"?t.default===!0:t.default===void 0||t.type==="file"?"":t.type==="json"?JSON.stringify(t.default,null,2):String(t.default)}async function lo(t,e){switch(t.type){case"boolean":return e;case"file":return e?{file_id:(await k.uploadFile(e)).file_id}:void 0;case"number":case"integer":return e===""?void 0:Number(e);case"json":if(e.trim()==="")return;try{return JSON.parse(e)}catch{throw new Oe(t.name,"is not valid JSON")}default:return e===""&&!Me(t)?void 0:e}}var Oe=class extends Error{constructor(e,o){super(o),this.violations=[{field:`inputs.${e}`,description:o}],this.title="Check the inputs"}};function co({input:t,value:e,onChange:o,problems:n}){let i=`input-${t.name}`,r=[t.description&&`${i}-help`,n.length&&`${i}-error`].filter(Boolean).join(" "),s={id:i,name:t.name,"aria-describedby":r||void 0,"aria-invalid":n.length?"true":void 0,required:Me(t)&&t.type!=="boolean"},a;return t.type==="boolean"?a=u`<input type="checkbox" ...${s} checked=${e} onChange=${l=>o(l.currentTarget.checked)} />`:t.type==="file"?a=u`<input type="file" ...${s} onChange=${l=>o(l.currentTarget.files[0]||"")} />`:t.type==="number"||t.type==="integer"?a=u`<input type="number" step=${t.type==="integer"?"1":"any"} ...${s} value=${e} onInput=${l=>o(l.currentTarget.value)} />`:a=u`<textarea rows=${t.type==="json"?4:2} ...${s} class=${t.type==="json"?"mono":""} value=${e} onInput=${l=>o(l.currentTarget.value)}></textarea>`,u`<div class=${`field field-${t.type}`}>
    <label for=${i}>${t.name} <span class="muted">(${t.type}${Me(t)?", required":""})</span></label>
    ${a}
    ${t.description&&u`<small id=${`${i}-help`} class="muted">${t.description}</small>`}
    ${n.length>0&&u`<span id=${`${i}-error`} class="field-error" role="alert">${n.join("; ")}</span>`}
  </div>`}function Tt({workflow:t}){let e=t.inputs||[],[o,n]=g(()=>Object.fromEntries(e.map(h=>[h.name,ao(h)]))),[i,r]=g(""),[s,a]=g(null),[l,p]=g(!1),c=s?.violations||[],_=h=>c.filter($=>$.field===h||$.field.startsWith(`${h}.`)).map($=>$.description),m=new Set([...e.map(h=>`inputs.${h.name}`),"monitoring.webhook"]),d=c.filter(h=>![...m].some($=>h.field===$||h.field.startsWith(`${$}.`))),f=async h=>{h.preventDefault(),p(!0),a(null);try{let $={inputs:{}};for(let v of e){let E=await lo(v,o[v.name]);E!==void 0&&($.inputs[v.name]=E)}i.trim()&&($.monitoring={webhook:i.trim()});let w=await k.executeWorkflow(t.workflow_id,$);H(`/ui/executions/${encodeURIComponent(w.workflow_execution_id)}`)}catch($){a($),p(!1)}};return u`<section aria-labelledby="run-heading" class="run-form">
    <h2 id="run-heading">Run</h2>
    <p class="muted">Runs the latest version, v${t.workflow_version}.</p>
    <form onSubmit=${f} novalidate>
      ${e.map(h=>u`<${co}
          key=${h.name}
          input=${h}
          value=${o[h.name]}
          problems=${_(`inputs.${h.name}`)}
          onChange=${$=>n(w=>({...w,[h.name]:$}))}
        />`)}
      <div class="field">
        <label for="webhook-url">Webhook URL <span class="muted">(optional)</span></label>
        <input id="webhook-url" type="url" name="webhook" placeholder="https://example.com/webhook"
          value=${i} onInput=${h=>r(h.currentTarget.value)}
          aria-invalid=${_("monitoring.webhook").length?"true":void 0} />
        ${_("monitoring.webhook").length>0&&u`<span class="field-error" role="alert">${_("monitoring.webhook").join("; ")}</span>`}
      </div>
      ${s&&(d.length>0||c.length===0)&&u`<${N} error=${{...s,violations:d}} title="Not started" />`}
      <button type="submit" class="primary" disabled=${l}>${l?"Starting\u2026":"Run workflow"}</button>
    </form>
  </section>`}var uo=20;function _o({workflow:t}){return u`<section aria-labelledby="definition-heading">
    <h2 id="definition-heading">Definition</h2>
    <h3>Inputs</h3>
    ${(t.inputs||[]).length===0?u`<p class="muted">No inputs.</p>`:u`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Default</th><th scope="col">Description</th></tr></thead>
          <tbody>
            ${t.inputs.map(e=>u`<tr>
                <td><code>${e.name}</code></td>
                <td>${e.type}</td>
                <td>${e.required===!1||e.default!==void 0?"no":"yes"}</td>
                <td>${e.default===void 0?"\u2014":u`<code>${JSON.stringify(e.default)}</code>`}</td>
                <td>${e.description}</td>
              </tr>`)}
          </tbody>
        </table></div>`}
    <h3>Tasks</h3>
    <ol class="task-defs">
      ${(t.tasks||[]).map(e=>u`<li>
          <details>
            <summary><code>${e.name}</code> <span class="tag">${e.type}</span>
              ${e.description&&u` <span class="muted">${e.description}</span>`}</summary>
            <${se} value=${e.inputs||{}} />
            ${e.retry&&u`<p>Retry: <code>${JSON.stringify(e.retry)}</code></p>`}
            ${e.timeout_seconds!==void 0&&u`<p>Timeout: ${e.timeout_seconds} s</p>`}
          </details>
        </li>`)}
    </ol>
    <h3>Outputs</h3>
    ${(t.outputs||[]).length===0?u`<p class="muted">No outputs.</p>`:u`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Value</th></tr></thead>
          <tbody>
            ${t.outputs.map(e=>u`<tr>
                <td><code>${e.name}</code></td>
                <td>${e.type}</td>
                <td><code>${JSON.stringify(e.value)}</code></td>
              </tr>`)}
          </tbody>
        </table></div>`}
  </section>`}function fo({workflowId:t,status:e,refreshKey:o}){let[n,i]=g([""]);C(()=>i([""]),[t,e]);let r=n[n.length-1],s=I(l=>k.listExecutions(t,{status:e,pageSize:uo,pageToken:r,view:"EXECUTION_VIEW_BASIC"},l),[t,e,r,o]),a=s.data?.executions||[];return u`<section aria-labelledby="executions-heading">
    <div class="page-head">
      <h2 id="executions-heading">Executions</h2>
      <div class="inline-field">
        <label for="status-filter">Status</label>
        <select id="status-filter" value=${e} onChange=${l=>re({status:l.currentTarget.value})}>
          <option value="">All</option>
          ${pt.map(l=>u`<option value=${l}>${l}</option>`)}
        </select>
      </div>
    </div>
    <${N} error=${s.error} />
    ${s.loading&&!s.data&&u`<${K} what="Loading executions" />`}
    ${s.data&&a.length===0&&u`<p class="empty">${e?`No ${e} executions.`:"No executions yet."}</p>`}
    ${a.length>0&&u`<div class="table-wrap">
      <table class="executions">
        <thead><tr><th scope="col">Execution</th><th scope="col">Status</th><th scope="col">Version</th><th scope="col">Created</th><th scope="col">Duration</th></tr></thead>
        <tbody>
          ${a.map(l=>u`<tr key=${l.workflow_execution_id}>
              <td><${x} href=${$e(l.workflow_execution_id)}><code>${l.workflow_execution_id}</code></${x}></td>
              <td><${R} status=${l.status} /></td>
              <td>v${l.workflow_version}</td>
              <td><${D} value=${l.created_at} /></td>
              <td>${J(z(l.started_at,l.completed_at))}</td>
            </tr>`)}
        </tbody>
      </table>
    </div>`}
    <${yt}
      label="Executions pages"
      hasPrevious=${n.length>1}
      nextToken=${s.data?.next_page_token}
      onPrevious=${()=>i(l=>l.slice(0,-1))}
      onNext=${()=>i(l=>[...l,s.data.next_page_token])}
    />
  </section>`}function Ct({workflowId:t,params:e}){let o=Number(e.get("version"))||void 0,n=e.get("status")||"",i=I(c=>k.getWorkflow(t,void 0,c),[t]),r=I(c=>o?k.getWorkflow(t,o,c):Promise.resolve(null),[t,o]),s=i.data,a=o&&r.data||s;C(()=>{document.title=`${a?.title||t} \xB7 Dataflow`},[a?.title,t]);let l=u`<${fo} workflowId=${t} status=${n} />`;if(i.error)return u`<section><h1><code>${t}</code></h1><${N} error=${i.error} /></section>`;if(!s)return u`<article><${K} what="Loading workflow" />${l}</article>`;let p=[];for(let c=s.workflow_version;c>=1;c-=1)p.push(c);return u`<article class="workflow">
    <nav class="breadcrumbs" aria-label="Breadcrumbs"><${x} href="/ui/">Workflows</${x}> / <code>${t}</code></nav>
    <div class="page-head">
      <h1>${a.title||t}</h1>
      <div class="inline-field">
        <label for="version-select">Version</label>
        <select
          id="version-select"
          value=${String(a.workflow_version)}
          onChange=${c=>{let _=Number(c.currentTarget.value);re({version:_===s.workflow_version?"":_})}}
        >
          ${p.map(c=>u`<option value=${String(c)}>v${c}${c===s.workflow_version?" (latest)":""}</option>`)}
        </select>
      </div>
    </div>
    ${a.description&&u`<p class="lead">${a.description}</p>`}
    <p class="muted">
      <code>${t}</code> · created <${D} value=${a.created_at} />
      ${s.state==="WORKFLOW_STATE_ARCHIVED"&&u` · <span class="tag">archived</span>`}
    </p>
    <${N} error=${r.error} />
    <div class="columns">
      <${_o} workflow=${a} />
      <${Tt} workflow=${s} />
    </div>
    ${l}
  </article>`}var po=50,mo=5;function ho({workflowId:t}){let[e,o]=g({executions:null,error:null});return C(()=>{let n=new AbortController;return k.listExecutions(t,{pageSize:mo,view:"EXECUTION_VIEW_BASIC"},n.signal).then(i=>o({executions:i.executions||[],error:null}),i=>!n.signal.aborted&&o({executions:[],error:i})),()=>n.abort()},[t]),e.error?u`<span class="muted">unavailable</span>`:e.executions===null?u`<span class="muted">…</span>`:e.executions.length===0?u`<span class="muted">never run</span>`:u`<ul class="recent">
    ${e.executions.map(n=>u`<li>
        <${x} href=${$e(n.workflow_execution_id)} title=${n.workflow_execution_id}>
          <${R} status=${n.status} />
        </${x}>
      </li>`)}
  </ul>`}function Nt({params:t}){let e=t.get("q")||"",[o,n]=g({workflows:[],nextToken:"",error:null,loading:!0}),i=a=>{n(l=>({...l,loading:!0})),k.listWorkflows({pageSize:po,pageToken:a}).then(l=>n(p=>({workflows:a?[...p.workflows,...l.workflows||[]]:l.workflows||[],nextToken:l.next_page_token||"",error:null,loading:!1})),l=>n(p=>({...p,error:l,loading:!1})))};C(()=>{document.title="Workflows \xB7 Dataflow",i("")},[]);let r=e.trim().toLowerCase(),s=r?o.workflows.filter(a=>(a.title||"").toLowerCase().includes(r)):o.workflows;return u`<section>
    <div class="page-head">
      <h1>Workflows</h1>
      <form class="search" role="search" onSubmit=${a=>a.preventDefault()}>
        <label for="workflow-search">Search by title</label>
        <input
          id="workflow-search"
          type="search"
          value=${e}
          onInput=${a=>re({q:a.currentTarget.value})}
        />
      </form>
    </div>
    <${N} error=${o.error} />
    ${o.loading&&o.workflows.length===0&&u`<${K} what="Loading workflows" />`}
    ${!o.loading&&o.workflows.length===0&&!o.error&&u`<p class="empty">No workflows yet. Create one with <code>POST /workflows</code>.</p>`}
    ${s.length>0&&u`<div class="table-wrap">
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
          ${s.map(a=>u`<tr key=${a.workflow_id}>
              <td>
                <${x} href=${ie(a.workflow_id)} class="title">${a.title||a.workflow_id}</${x}>
                ${a.description&&u`<div class="muted description">${a.description}</div>`}
                ${a.state==="WORKFLOW_STATE_ARCHIVED"&&u`<span class="tag">archived</span>`}
              </td>
              <td>v${a.workflow_version}</td>
              <td><${D} value=${a.updated_at||a.created_at} /></td>
              <td><${ho} workflowId=${a.workflow_id} /></td>
            </tr>`)}
        </tbody>
      </table>
    </div>`}
    ${r&&s.length===0&&o.workflows.length>0&&u`<p class="empty">No loaded workflow has “${e}” in its title.</p>`}
    ${o.nextToken&&u`<p>
      <button type="button" onClick=${()=>i(o.nextToken)} disabled=${o.loading}>
        Load more workflows
      </button>
      ${r&&u`<span class="muted"> (search covers the workflows loaded so far)</span>`}
    </p>`}
  </section>`}function $o(){let[t,e]=g(""),[o,n]=g("");return u`<form class="id-box" role="search" onSubmit=${r=>{r.preventDefault();let s=t.trim();if(s.startsWith("we-"))H(`/ui/executions/${encodeURIComponent(s)}`);else if(s.startsWith("wf-"))H(`/ui/workflows/${encodeURIComponent(s)}`);else{n("Enter a workflow id (wf-\u2026) or an execution id (we-\u2026).");return}n(""),e("")}}>
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
    ${o&&u`<span id="goto-id-problem" class="field-error" role="alert">${o}</span>`}
  </form>`}function vo(){return u`<section>
    <h1>Page not found</h1>
    <p><${x} href="/ui/">Back to the workflows</${x}></p>
  </section>`}function go(){let t=wt(),e=gt(t.pathname),o=new URLSearchParams(t.search),n;return e.view==="workflows"?n=u`<${Nt} params=${o} />`:e.view==="workflow"?n=u`<${Ct} key=${e.id} workflowId=${e.id} params=${o} />`:e.view==="execution"?n=u`<${St} key=${e.id} executionId=${e.id} />`:n=u`<${vo} />`,u`<header class="top">
      <${x} href="/ui/" class="brand">Dataflow</${x}>
      <${$o} />
    </header>
    <main id="main">${n}</main>`}Te(u`<${go} />`,document.getElementById("app"));
