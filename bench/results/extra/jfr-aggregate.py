import subprocess, sys, re, collections
f = sys.argv[1]
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", f], capture_output=True, text=True).stdout
samples = out.split("jdk.ExecutionSample")
marks = {"dblayer": "dev.dblayer.db.", "dblayer interceptor": "dev.dblayer.db.TransactionalInterceptor",
         "Liberty JTA @Transactional interceptor": "com.ibm.tx.jta.cdi.", "Liberty tx manager": "com.ibm.tx.",
         "EclipseLink": "org.eclipse.persistence.", "HikariCP": "com.zaxxer.hikari.", "pgjdbc": "org.postgresql.",
         "JSON-B": "org.eclipse.yasson", "Weld CDI": "org.jboss.weld.", "RESTEasy": "org.jboss.resteasy.",
         "bench app": "dev.dblayer.bench."}
count = collections.Counter(); leaf = collections.Counter(); total = 0
for s in samples[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", s, re.M)
    if not frames: continue
    if not any("dev.dblayer.bench" in fr for fr in frames): continue  # request threads only
    total += 1
    leaf[frames[0]] += 1
    for k, m in marks.items():
        if any(fr.startswith(m) for fr in frames): count[k] += 1
print("request-thread samples:", total)
for k, v in count.most_common(): print("  %-40s %5.1f%%" % (k, 100 * v / total))
print("top leaf frames:")
for k, v in leaf.most_common(12): print("  %-80s %5.1f%%" % (k, 100 * v / total))
ex = 0; el = 0; tot = 0
for s in samples[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", s, re.M)
    if not frames or not any("dev.dblayer.bench" in fr for fr in frames): continue
    tot += 1
    tx = any(fr.startswith("com.ibm.tx.") for fr in frames)
    dbl = any(fr.startswith("dev.dblayer.db.TransactionalInterceptor") for fr in frames)
    # frames are leaf-first: is the leaf inside Liberty's tx code (before reaching dblayer's interceptor)?
    first_tx = next((i for i, fr in enumerate(frames) if fr.startswith("com.ibm.tx.")), None)
    first_dbl = next((i for i, fr in enumerate(frames) if fr.startswith("dev.dblayer.db.")), None)
    if first_tx is not None and (first_dbl is None or first_tx < first_dbl): ex += 1
print("samples in Liberty's transaction manager, not under dblayer: %.1f%%" % (100 * ex / tot))
