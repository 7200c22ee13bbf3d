# The Airflow image of the deployment: the official image plus this project's pinned packages.
# DAGs, plugins and include/ are mounted by docker-compose.yml, not baked in.
ARG AIRFLOW_IMAGE=apache/airflow:3.3.2-python3.11
FROM ${AIRFLOW_IMAGE}
COPY requirements.txt requirements-deploy.txt constraints.txt /opt/newsarchive/
RUN pip install --no-cache-dir -r /opt/newsarchive/requirements-deploy.txt
