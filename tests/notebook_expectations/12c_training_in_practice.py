"""What lecture 12c's notebook must reproduce, evaluated in its executed kernel.

The suite trains for a few epochs instead of the notebook's defaults; the claims the narrative
makes about the default run (the augmentation, transfer and batch-norm numbers) are checked by
tests/test_practice_claims.py.
"""
from tests.notebook_checks import close, equal, true

PARAMETERS = {"AUG_EPOCHS": 3, "PRETRAIN_EPOCHS": 2, "TRANSFER_EPOCHS": 4, "SCHEDULE_EPOCHS": 2,
              "BN_EPOCHS": 2, "DROPOUT_EPOCHS": 3}

EXPECTATIONS = [
    equal("list(batch.shape[:2])", [1, 3], why="the photo as one RGB image in (N, C, H, W)"),
    close("dl.data.channel_mean(centred)", [0.0, 0.0, 0.0], atol=1e-12,
          why="each channel's mean is 0 after subtracting it"),
    true("abs(mu[0] - X_train.mean()) < 1e-12", why="one channel: the mean of every pixel"),
    true("abs(X_train_c.mean()) < 1e-12 and abs(X_test_c.mean()) > 1e-6",
         why="centred with the training mean, not the test set's own"),
    true("same", why="the same random seed gives the same augmented batch"),
    equal("list(variants.shape)", [8, 1, 8, 8]),
    equal("len(small)", 200, why="20 images of each digit"),
    equal("[len(h.val_acc) for h in aug_runs.values()]", [3, 3]),
    true("aug_runs['with augmentation'].train_loss[0] != aug_runs['without augmentation']"
         ".train_loss[0]", why="the augmented run trains on other pixels"),
    true("pre_acc > 0.9", why="two epochs on 0-4 already recognise most test digits 0-4"),
    equal("[len(task.y_source), len(task.y_target), len(task.y_test)]", [676, 25, 225]),
    equal("sorted(set(task.y_target.tolist()))", [0, 1, 2, 3, 4], why="5-9 relabelled 0-4"),
    equal("sum(p.size for p in dl.optim.trainable_parameters(models['freeze'], "
          "['conv1', 'conv2']))", 1285, why="only the head Linear(256, 5) learns"),
    true("np.array_equal(models['freeze'].conv1.weight.data, pre_state['conv1.weight'])",
         why="frozen weights never change"),
    true("not np.array_equal(models['finetune'].conv1.weight.data, pre_state['conv1.weight'])",
         why="fine-tuned weights do change"),
    equal("total", 2 * 43, why="43 batches of 32 per epoch"),
    true("torch_gap < 1e-12", why="dlcore's schedulers give torch's rates"),
    close("rates['cosine'][0]", 0.2, atol=1e-15),
    close("rates['warmup_cosine'][0]", 0.02, atol=1e-15, why="the warm-up starts at 0.1 η0"),
    equal("[len(h.batch_lr) for h in sched_runs.values()]", [86] * 5,
          why="the scheduler stepped once per batch"),
    true("np.allclose(sched_runs['cosine'].batch_lr, rates['cosine'])",
         why="the training run used the rates drawn"),
    true("all(bn_runs[lr, True].val_acc[-1] > bn_runs[lr, False].val_acc[-1] + 0.2 "
         "for lr in (0.05, 0.5))", why="batch norm trains where the plain deep net barely moves"),
    true("abs(bn_runs[0.05, False].train_loss[-1] - np.log(10)) < 0.05",
         why="without batch norm the loss sits at chance level, ln 10"),
    equal("len(drop_runs)", 4),
]
