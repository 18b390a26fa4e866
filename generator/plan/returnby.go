package plan

// ReturnBy is the day the unit's filled sign-off sheet is due back: its
// level's return_by resolved against the unit's election day, as a task's
// due is. It is nil when the level has no return_by.
func (u *Unit) ReturnBy() *Moment {
	if u.LevelRef == nil {
		return nil
	}
	return u.LevelRef.ReturnBy.On(u.Day)
}
