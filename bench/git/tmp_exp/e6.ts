try { await fetch("http://127.0.0.1:45999/x"); } catch (e) { console.log(e instanceof TypeError, (e as Error).name, (e as Error).message); }
