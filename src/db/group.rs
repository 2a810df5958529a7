//! Group commit: requests of one kind that arrive while a write is in progress are written
//! together, in one [`WriteTx`] — one `BEGIN`, one version, one commit (one fsync) for the lot —
//! and each gets its own answer.
//!
//! Why: a write that must be exact under concurrency (a seat) serialises on a lock, so its
//! throughput is one commit per request at best, and each request pays its statements one after
//! the other. Handing the waiting requests to one writer lets a [`Batch`] decide them together
//! with a constant number of statements (read every candidate once, write every row in one
//! `INSERT`), which is what lifts the enrolment scenario towards the storage ceiling.
//!
//! Shape: a [`GroupCommit`] owns `lanes` worker tasks (spawned on first use, inside the caller's
//! runtime). A job goes to the lane of its [`Batch::lane`] key (jobs that contend for one row —
//! one session's seats — share a lane, so lanes never wait on each other's row locks). A worker
//! takes whatever is queued (at most `max_jobs`), begins a transaction, lets the batch decide,
//! commits, and only then answers each job: an answer is never sent for work that did not
//! commit. A failed commit answers every job of the batch with the error. A caller that goes
//! away does not cancel its job (the worker finishes the batch): a client retrying after a
//! timeout relies on its `Idempotency-Key` as it would without batching.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use sea_orm::DbErr;
use tokio::sync::{mpsc, oneshot};

use super::write::{WriteTx, Writer};

/// The future a [`Batch`] returns, borrowing the transaction.
pub type BatchFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One kind of write that is decided in groups.
pub trait Batch: Send + Sync + 'static {
    type Job: Send + 'static;
    type Answer: Send + 'static;

    /// Jobs with the same key are decided by the same worker, in arrival order.
    fn lane(job: &Self::Job) -> u64;

    /// Decides `jobs` in `tx` (which the caller commits) and answers each, in the order given.
    /// A job that fails must leave no trace in `tx` (use savepoints) and must not stop the
    /// others.
    fn run<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        jobs: Vec<Self::Job>,
    ) -> BatchFuture<'a, Vec<Self::Answer>>;

    /// The answer of a job whose transaction could not begin or commit.
    fn failed(error: DbErr) -> Self::Answer;
}

type Queued<B> = (<B as Batch>::Job, oneshot::Sender<<B as Batch>::Answer>);

/// The workers of one [`Batch`].
pub struct GroupCommit<B: Batch> {
    batch: Arc<B>,
    writer: Writer,
    lanes: usize,
    max_jobs: usize,
    queues: OnceLock<Vec<mpsc::UnboundedSender<Queued<B>>>>,
}

impl<B: Batch> GroupCommit<B> {
    /// `lanes` workers (at least one), each deciding at most `max_jobs` jobs per transaction.
    pub fn new(batch: B, writer: Writer, lanes: usize, max_jobs: usize) -> Self {
        Self {
            batch: Arc::new(batch),
            writer,
            lanes: lanes.max(1),
            max_jobs: max_jobs.max(1),
            queues: OnceLock::new(),
        }
    }

    /// Queues `job` and waits for its answer, which comes after its transaction committed.
    pub async fn submit(&self, job: B::Job) -> B::Answer {
        let queues = self.queues.get_or_init(|| self.spawn());
        let lane = (B::lane(&job) % queues.len() as u64) as usize;
        let (reply, answer) = oneshot::channel();
        let stopped = || B::failed(DbErr::Custom("the writer stopped".into()));
        let Some(queue) = queues.get(lane) else {
            return stopped();
        };
        if queue.send((job, reply)).is_err() {
            return stopped();
        }
        answer.await.unwrap_or_else(|_| stopped())
    }

    fn spawn(&self) -> Vec<mpsc::UnboundedSender<Queued<B>>> {
        (0..self.lanes)
            .map(|_| {
                let (queue, jobs) = mpsc::unbounded_channel();
                tokio::spawn(work(
                    self.batch.clone(),
                    self.writer.clone(),
                    jobs,
                    self.max_jobs,
                ));
                queue
            })
            .collect()
    }
}

/// One lane: batch after batch until every sender is gone.
async fn work<B: Batch>(
    batch: Arc<B>,
    writer: Writer,
    mut queue: mpsc::UnboundedReceiver<Queued<B>>,
    max_jobs: usize,
) {
    let mut taken = Vec::with_capacity(max_jobs);
    while queue.recv_many(&mut taken, max_jobs).await > 0 {
        let (jobs, replies): (Vec<_>, Vec<_>) = taken.drain(..).unzip();
        let count = jobs.len();
        let answers = match decide(&*batch, &writer, jobs).await {
            Ok(answers) => answers,
            Err(error) => (0..count).map(|_| B::failed(copy_of(&error))).collect(),
        };
        for (reply, answer) in replies.into_iter().zip(answers) {
            // The caller may have gone away; its job is done all the same.
            let _ = reply.send(answer);
        }
    }
}

async fn decide<B: Batch>(
    batch: &B,
    writer: &Writer,
    jobs: Vec<B::Job>,
) -> Result<Vec<B::Answer>, DbErr> {
    let mut tx = writer.begin().await?;
    let answers = batch.run(&mut tx, jobs).await;
    tx.commit().await?;
    Ok(answers)
}

/// The same error for every job of a failed batch (`DbErr` is not `Clone`); a pool timeout stays
/// one, so that callers still answer 503.
fn copy_of(error: &DbErr) -> DbErr {
    match error {
        DbErr::ConnectionAcquire(e) => DbErr::ConnectionAcquire(*e),
        other => DbErr::Custom(other.to_string()),
    }
}
