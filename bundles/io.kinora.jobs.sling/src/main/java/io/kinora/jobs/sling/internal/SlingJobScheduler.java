package io.kinora.jobs.sling.internal;

import io.kinora.api.jobs.JobRejectedException;
import io.kinora.api.jobs.JobScheduler;
import org.apache.sling.event.jobs.Job;
import org.apache.sling.event.jobs.JobManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands Kinora's jobs to Apache Sling's job manager: each becomes a persisted Sling job on the topic {@link #TOPIC},
 * which Sling delivers to an instance of the cluster that has a consumer for it ({@link SlingJobExecutor}), retries
 * after a crash and shows in its console and statistics. Present only where Sling's job manager is.
 */
@Component(service = JobScheduler.class)
public final class SlingJobScheduler implements JobScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(SlingJobScheduler.class);
    /** The Sling job topic of Kinora's generation jobs. */
    public static final String TOPIC = "io/kinora/jobs/generate";
    /** Sling job property: the Kinora job id (its folder name in the shared job folder). */
    public static final String PROP_JOB_ID = "kinora.job.id";
    /** Sling job property: the Kinora job's priority. */
    public static final String PROP_PRIORITY = "kinora.job.priority";
    /** The name this scheduler gives its jobs ({@code JobInfo.scheduler()}). */
    public static final String NAME = "sling";

    private final JobManager jobManager;

    @Activate
    public SlingJobScheduler(@Reference JobManager jobManager) {
        this.jobManager = jobManager;
        LOG.info("Kinora jobs run as Apache Sling jobs on the topic {}", TOPIC);
    }

    @Override
    public String name() { return NAME; }

    @Override
    public void schedule(String jobId, int priority) throws JobRejectedException {
        Map<String, Object> props = new HashMap<>();
        props.put(PROP_JOB_ID, jobId);
        props.put(PROP_PRIORITY, priority);
        props.put(Job.PROPERTY_JOB_TITLE, "Kinora " + jobId);
        List<String> errors = new ArrayList<>();
        Job job = jobManager.createJob(TOPIC).properties(props).add(errors);
        if (job == null) {
            throw new JobRejectedException("busy: Apache Sling's job manager did not take the job"
                    + (errors.isEmpty() ? "" : " (" + String.join("; ", errors) + ")") + "; retry later", true, 30);
        }
        LOG.debug("job {} is Sling job {} in queue {}", jobId, job.getId(), job.getQueueName());
    }

    @Override
    public void cancel(String jobId) {
        for (Job job : find(jobId)) {
            if (job.getJobState() == Job.JobState.ACTIVE) {
                jobManager.stopJobById(job.getId()); // the running instance also sees Kinora's cancel marker
            } else if (job.getJobState() == Job.JobState.QUEUED) {
                jobManager.removeJobById(job.getId());
            }
        }
    }

    private Collection<Job> find(String jobId) {
        Map<String, Object> template = Map.of(PROP_JOB_ID, jobId);
        @SuppressWarnings("unchecked")
        Collection<Job> jobs = jobManager.findJobs(JobManager.QueryType.ALL, TOPIC, 10, template);
        return jobs == null ? List.of() : jobs;
    }
}
