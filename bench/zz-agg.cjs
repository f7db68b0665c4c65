const fs=require('fs');const f=fs.readdirSync('/tmp/sprof')[0];const p=JSON.parse(fs.readFileSync('/tmp/sprof/'+f));
const byId=new Map(p.nodes.map(n=>[n.id,n]));const self=new Map();p.samples.forEach((s,i)=>self.set(s,(self.get(s)||0)+(p.timeDeltas[i]||0)));
const incl=new Map();const inc=(n)=>{if(incl.has(n.id))return incl.get(n.id);const v=(self.get(n.id)||0)+(n.children||[]).reduce((a,c)=>a+inc(byId.get(c)),0);incl.set(n.id,v);return v;};
const name=(n)=>n.callFrame.functionName+' '+n.callFrame.url.split('/').slice(-2).join('/')+':'+n.callFrame.lineNumber;
const agg=new Map();const selfAgg=new Map();for(const n of p.nodes){const k=name(n);agg.set(k,(agg.get(k)||0)+inc(n));selfAgg.set(k,(selfAgg.get(k)||0)+(self.get(n.id)||0));}
[...agg].filter(([k])=>/(dist|store|views|domain)\//.test(k)).sort((a,b)=>b[1]-a[1]).slice(0,20).forEach(([k,v])=>console.log((v/1000/40).toFixed(2).padStart(7),'self',(selfAgg.get(k)/1000/40).toFixed(2).padStart(6),k));
