#!/usr/bin/env python3
"""Writes a realistic multi-document Kubernetes YAML stream for the YAML
benchmark: Deployments, Services and ConfigMaps in rotation.
Usage: gen-stream.py COUNT OUTPUT"""
import sys

def deployment(i):
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: team-{i % 17}
  labels:
    app: app-{i}
    tier: "backend"
    version: "1.{i % 9}"
  annotations:
    description: "Deployment number {i} of the generated benchmark stream, with a longer annotation value"
spec:
  replicas: {i % 5 + 1}
  selector:
    matchLabels:
      app: app-{i}
  template:
    metadata:
      labels:
        app: app-{i}
    spec:
      containers:
      - name: main
        image: registry.example.com/team/app-{i}:1.{i % 9}.{i % 13}
        args: ["--port", "8080", "--verbose=true", "--id={i}"]
        ports:
        - containerPort: 8080
          protocol: TCP
        env:
        - name: MODE
          value: "on"
        - name: RATIO
          value: "0.5"
        resources:
          limits: {{cpu: 500m, memory: 128Mi}}
          requests: {{cpu: "1", memory: 64Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: 8080}}
          periodSeconds: 10
"""

def service(i):
    return f"""apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
  namespace: team-{i % 17}
spec:
  selector:
    app: app-{i}
  ports:
  - name: http
    port: 80
    targetPort: 8080
"""

def configmap(i):
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-{i}
  namespace: team-{i % 17}
data:
  LOG_LEVEL: info
  FEATURE_X: "true"
  timeout: "30s"
  config.yaml: |
    server:
      port: 8080
      id: {i}
    cache: {{size: 128}}
"""

def main():
    count, path = int(sys.argv[1]), sys.argv[2]
    makers = [deployment, service, configmap]
    with open(path, "w") as f:
        for i in range(count):
            if i:
                f.write("---\n")
            f.write(makers[i % 3](i))

if __name__ == "__main__":
    main()
