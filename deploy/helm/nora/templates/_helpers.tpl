{{/* Names and labels, as `helm create` lays them out. */}}
{{- define "nora.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "nora.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "nora.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nora.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "nora.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "nora.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "nora.secretName" -}}
{{- default (include "nora.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* True ("true") when the pods get a Secret: an existing one, or values to create one from. */}}
{{- define "nora.hasSecret" -}}
{{- if or .Values.secrets.existingSecret .Values.secrets.s3AccessKeyId .Values.secrets.s3SecretAccessKey .Values.secrets.htpasswd }}true{{ end }}
{{- end }}

{{/* Refuses values the server cannot run with; included by every template that needs them. */}}
{{- define "nora.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (ne .Values.storage.backend "s3") }}
{{- fail (printf "replicaCount %d needs storage.backend \"s3\": several servers share one store only through a bucket with conditional writes; with %q keep replicaCount 1" (int .Values.replicaCount) .Values.storage.backend) }}
{{- end }}
{{- if eq .Values.storage.backend "s3" }}
{{- $_ := required "storage.s3.bucket is required when storage.backend is \"s3\"" .Values.storage.s3.bucket }}
{{- end }}
{{- end }}

{{/*
nora.toml from a map: scalars first, then one [table] per nested map; lists and maps inside
lists become TOML arrays and inline tables. Strings are written as JSON strings, which TOML reads.
Called with (list "dotted.path" $map).
*/}}
{{- define "nora.toml.key" -}}
{{- if regexMatch "^[A-Za-z0-9_-]+$" . }}{{ . }}{{ else }}{{ toJson . }}{{ end }}
{{- end }}

{{- define "nora.toml.value" -}}
{{- if kindIs "map" . -}}
{ {{- $first := true }}{{ range $k, $v := . }}{{ if not $first }},{{ end }}{{ $first = false }} {{ include "nora.toml.key" $k }} = {{ include "nora.toml.value" $v }}{{ end }} }
{{- else if kindIs "slice" . -}}
[{{ range $i, $v := . }}{{ if $i }}, {{ end }}{{ include "nora.toml.value" $v }}{{ end }}]
{{- else if kindIs "float64" . -}}
{{ if eq . (floor .) }}{{ int64 . }}{{ else }}{{ . }}{{ end }}
{{- else -}}
{{ toJson . }}
{{- end -}}
{{- end }}

{{- define "nora.toml.table" -}}
{{- $path := index . 0 }}
{{- $table := index . 1 }}
{{- range $k, $v := $table }}
{{- if not (kindIs "map" $v) }}
{{ include "nora.toml.key" $k }} = {{ include "nora.toml.value" $v }}
{{- end }}
{{- end }}
{{- range $k, $v := $table }}
{{- if kindIs "map" $v }}
{{- $sub := ternary (include "nora.toml.key" $k) (printf "%s.%s" $path (include "nora.toml.key" $k)) (eq $path "") }}

[{{ $sub }}]
{{- include "nora.toml.table" (list $sub $v) }}
{{- end }}
{{- end }}
{{- end }}

{{/* The settings the chart owns, laid over .Values.config. */}}
{{- define "nora.config" -}}
{{- $owned := dict "server" (dict "host" "0.0.0.0" "port" 4000) "storage" (dict "backend" .Values.storage.backend "data_dir" "/data") }}
{{- if eq .Values.storage.backend "s3" }}
{{- $s3 := .Values.storage.s3 }}
{{- $_ := set $owned.storage "s3" (dict "bucket" $s3.bucket "region" $s3.region "endpoint" $s3.endpoint "prefix" $s3.prefix "path_style" $s3.pathStyle "redirect" $s3.redirect) }}
{{- end }}
{{- if .Values.secrets.htpasswd }}
{{- $_ := set $owned "auth" (dict "htpasswd_file" "/etc/nora/secrets/htpasswd") }}
{{- end }}
{{- $config := mergeOverwrite (deepCopy (default dict .Values.config)) $owned }}
{{- include "nora.toml.table" (list "" $config) }}
{{- end }}
